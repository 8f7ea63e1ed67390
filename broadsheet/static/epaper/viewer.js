/* The e-paper viewer: page turns without reloads (the URL follows the page), zoom by buttons,
   Ctrl + wheel and pinch, keyboard arrows, find in this edition, read as text, and clippings.
   Without JavaScript the links still turn the pages. */
(function () {
  "use strict";
  var root = document.querySelector("[data-ep-viewer]");
  if (!root) return;
  var pages = JSON.parse(document.getElementById("ep-pages").textContent);
  var config = JSON.parse(document.getElementById("ep-config").textContent);
  var $ = function (sel) { return root.querySelector(sel); };
  var stage = $("[data-ep-stage]"), sheet = $("[data-ep-sheet]"), img = $("[data-ep-page]");
  var marks = $("[data-ep-marks]"), selection = $("[data-ep-selection]");
  var side = $("[data-ep-side]"), sideBody = $("[data-ep-side-body]"), sideTitle = $("[data-ep-side-title]");
  var csrf = (root.querySelector("input[name=csrfmiddlewaretoken]") || {}).value || "";
  var state = { n: +$("[data-ep-number]").textContent, zoom: 1, hits: [], query: "", clipping: false, text: false };
  var MIN_ZOOM = 0.25, MAX_ZOOM = 4;

  function page(n) { return pages[n - 1]; }
  function urlFor(n) { return config.base + n + "/"; }

  /* Size: zoom 1 fits the page's width to the stage (readable at once); "Fit" shows the whole page. */
  function fitWidth() { return Math.max(200, stage.clientWidth - 24); }
  function fitPage() {
    var p = page(state.n), w = fitWidth();
    if (!p || !p.w) return w;
    return Math.min(w, (stage.clientHeight - 24) * p.w / p.h);
  }
  function applyZoom(zoom, anchorX, anchorY) {
    zoom = Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, zoom));
    var before = img.getBoundingClientRect();
    var rect = stage.getBoundingClientRect();
    var ax = anchorX === undefined ? rect.left + stage.clientWidth / 2 : anchorX;
    var ay = anchorY === undefined ? rect.top + stage.clientHeight / 2 : anchorY;
    var fx = before.width ? (ax - before.left) / before.width : 0.5;
    var fy = before.height ? (ay - before.top) / before.height : 0;
    state.zoom = zoom;
    img.style.width = Math.round(fitWidth() * zoom) + "px";
    var after = img.getBoundingClientRect();
    stage.scrollLeft += (after.left + fx * after.width) - ax;
    stage.scrollTop += (after.top + fy * after.height) - ay;
  }
  function zoomBy(factor, x, y) { applyZoom(state.zoom * factor, x, y); }
  function zoomFit() { applyZoom(fitPage() / fitWidth()); stage.scrollTop = 0; stage.scrollLeft = 0; }

  /* Turning pages */
  function setLink(el, n) {
    if (n >= 1 && n <= pages.length) { el.href = urlFor(n); el.removeAttribute("aria-disabled"); }
    else { el.href = "#"; el.setAttribute("aria-disabled", "true"); }
  }
  function show(n, push) {
    if (n < 1 || n > pages.length) return;
    var p = page(n);
    state.n = n;
    var broken = $("[data-ep-broken]");
    if (p.broken) {
      img.hidden = true;
      if (!broken) {
        broken = document.createElement("div");
        broken.className = "ep-broken"; broken.setAttribute("data-ep-broken", "");
        broken.textContent = "This page could not be shown. Our editors have been told.";
        sheet.insertBefore(broken, img);
      }
    } else {
      if (broken) broken.remove();
      img.hidden = false;
      img.width = p.w; img.height = p.h;
      img.src = p.src;
      img.alt = "Page " + n + " of " + pages.length;
    }
    $("[data-ep-number]").textContent = n;
    stage.setAttribute("aria-label", "Page " + n);
    setLink($("[data-ep-prev]"), n - 1);
    setLink($("[data-ep-next]"), n + 1);
    root.querySelectorAll("[data-ep-goto]").forEach(function (a) {
      if (+a.getAttribute("data-ep-goto") === n) { a.setAttribute("aria-current", "page"); a.scrollIntoView({ block: "nearest", inline: "nearest" }); }
      else a.removeAttribute("aria-current");
    });
    document.title = document.title.replace(/page \d+/, "page " + n);
    if (push) history.pushState({ n: n }, "", urlFor(n));
    applyZoom(state.zoom); stage.scrollTop = 0;
    drawMarks();
    if (state.text) loadText();
    var next = page(n + 1);
    if (next && next.src) { var pre = new Image(); pre.src = next.src; }
  }
  function go(n) { if (n >= 1 && n <= pages.length && n !== state.n) show(n, true); }
  window.addEventListener("popstate", function (e) {
    var m = location.pathname.match(/\/(\d+)\/$/);
    show(e.state && e.state.n ? e.state.n : (m ? +m[1] : 1), false);
  });
  root.addEventListener("click", function (e) {
    var a = e.target.closest("[data-ep-goto], [data-ep-prev], [data-ep-next]");
    if (!a || e.ctrlKey || e.metaKey || e.shiftKey) return;
    e.preventDefault();
    if (a.hasAttribute("data-ep-goto")) go(+a.getAttribute("data-ep-goto"));
    else if (a.hasAttribute("data-ep-prev")) go(state.n - 1);
    else go(state.n + 1);
  });
  document.addEventListener("keydown", function (e) {
    var t = e.target;
    if (t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.isContentEditable)) return;
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    if (e.key === "ArrowRight" || e.key === "PageDown" && stage.scrollTop + stage.clientHeight >= stage.scrollHeight - 2) { e.preventDefault(); go(state.n + 1); }
    else if (e.key === "ArrowLeft" || e.key === "PageUp" && stage.scrollTop <= 0) { e.preventDefault(); go(state.n - 1); }
    else if (e.key === "+" || e.key === "=") { e.preventDefault(); zoomBy(1.25); }
    else if (e.key === "-") { e.preventDefault(); zoomBy(0.8); }
    else if (e.key === "0") { e.preventDefault(); zoomFit(); }
    else if (e.key === "Escape") { clipMode(false); }
  });
  root.querySelectorAll("[data-ep-zoom]").forEach(function (b) {
    b.addEventListener("click", function () {
      var how = b.getAttribute("data-ep-zoom");
      if (how === "in") zoomBy(1.25); else if (how === "out") zoomBy(0.8); else zoomFit();
    });
  });
  stage.addEventListener("wheel", function (e) {
    if (!e.ctrlKey && !e.metaKey) return; /* a plain wheel scrolls; Ctrl + wheel and trackpad pinch zoom */
    e.preventDefault();
    zoomBy(Math.exp(-e.deltaY * 0.0025), e.clientX, e.clientY);
  }, { passive: false });

  /* Touch: pinch to zoom, swipe to turn when the page fits; mouse drag to pan or, in clip mode, to select. */
  var pointers = new Map(), pinch = null, swipe = null, pan = null, drag = null;
  function distance() { var p = Array.from(pointers.values()); return Math.hypot(p[0].x - p[1].x, p[0].y - p[1].y); }
  stage.addEventListener("pointerdown", function (e) {
    pointers.set(e.pointerId, { x: e.clientX, y: e.clientY });
    if (state.clipping && pointers.size === 1 && !img.hidden) { startSelection(e); return; }
    if (pointers.size === 2) {
      var p = Array.from(pointers.values());
      pinch = { d: distance(), zoom: state.zoom, x: (p[0].x + p[1].x) / 2, y: (p[0].y + p[1].y) / 2 };
      swipe = null;
    } else if (e.pointerType === "touch") {
      swipe = { x: e.clientX, y: e.clientY, t: Date.now(), fits: stage.scrollWidth <= stage.clientWidth + 2 };
    } else if (e.button === 0) {
      pan = { x: e.clientX, y: e.clientY, left: stage.scrollLeft, top: stage.scrollTop };
    }
  });
  stage.addEventListener("pointermove", function (e) {
    if (!pointers.has(e.pointerId)) return;
    pointers.set(e.pointerId, { x: e.clientX, y: e.clientY });
    if (drag) { moveSelection(e); return; }
    if (pinch && pointers.size === 2) { applyZoom(pinch.zoom * distance() / pinch.d, pinch.x, pinch.y); return; }
    if (pan) { stage.scrollLeft = pan.left - (e.clientX - pan.x); stage.scrollTop = pan.top - (e.clientY - pan.y); }
  });
  function pointerEnd(e) {
    if (drag) endSelection(e);
    if (swipe && pointers.size === 1) {
      var dx = e.clientX - swipe.x, dy = e.clientY - swipe.y;
      if (swipe.fits && Math.abs(dx) > 60 && Math.abs(dx) > 2 * Math.abs(dy) && Date.now() - swipe.t < 800) go(state.n + (dx < 0 ? 1 : -1));
    }
    pointers.delete(e.pointerId);
    if (pointers.size < 2) pinch = null;
    if (!pointers.size) { swipe = null; pan = null; }
  }
  stage.addEventListener("pointerup", pointerEnd);
  stage.addEventListener("pointercancel", pointerEnd);

  /* Clippings */
  var clipbar = $("[data-ep-clipbar]"), clipMake = $("[data-ep-clip-make]"), clipMsg = $("[data-ep-clipmsg]");
  var clipButton = $("[data-ep-clip]"), rectFraction = null;
  function clipMode(on) {
    state.clipping = on;
    root.classList.toggle("is-clipping", on);
    clipButton.setAttribute("aria-pressed", on ? "true" : "false");
    clipbar.hidden = !on;
    selection.hidden = true; clipMake.hidden = true; rectFraction = null;
    clipMsg.textContent = "Drag across the story you want to share.";
    clipMsg.classList.remove("ep-error");
  }
  clipButton.addEventListener("click", function () { clipMode(!state.clipping); });
  $("[data-ep-clip-cancel]").addEventListener("click", function () { clipMode(false); });
  function point(e) {
    var r = img.getBoundingClientRect();
    return { x: Math.min(1, Math.max(0, (e.clientX - r.left) / r.width)), y: Math.min(1, Math.max(0, (e.clientY - r.top) / r.height)) };
  }
  function startSelection(e) { e.preventDefault(); stage.setPointerCapture(e.pointerId); drag = { a: point(e) }; moveSelection(e); }
  function moveSelection(e) {
    var b = point(e), a = drag.a;
    rectFraction = { left: Math.min(a.x, b.x), top: Math.min(a.y, b.y), width: Math.abs(a.x - b.x), height: Math.abs(a.y - b.y) };
    selection.hidden = false;
    selection.style.left = rectFraction.left * 100 + "%"; selection.style.top = rectFraction.top * 100 + "%";
    selection.style.width = rectFraction.width * 100 + "%"; selection.style.height = rectFraction.height * 100 + "%";
  }
  function endSelection() {
    drag = null;
    clipMake.hidden = !(rectFraction && rectFraction.width > 0.01 && rectFraction.height > 0.01);
    clipMsg.textContent = clipMake.hidden ? "Drag across the story you want to share." : "Share this part of the page?";
  }
  clipMake.addEventListener("click", function () {
    if (!rectFraction) return;
    var body = new URLSearchParams();
    ["left", "top", "width", "height"].forEach(function (k) { body.append(k, rectFraction[k].toFixed(5)); });
    clipMake.disabled = true;
    fetch(config.clip.replace("{n}", state.n), { method: "POST", body: body, credentials: "same-origin", headers: { "X-CSRFToken": csrf, "Accept": "application/json" } })
      .then(function (r) { return r.json().then(function (data) { return { ok: r.ok, data: data }; }); })
      .then(function (res) {
        clipMake.disabled = false;
        if (!res.ok) { clipMsg.textContent = res.data.error || "The clipping could not be made."; clipMsg.classList.add("ep-error"); return; }
        clipMode(false);
        var dialog = $("[data-ep-dialog]");
        $("[data-ep-cliplink]").value = res.data.url;
        $("[data-ep-clipopen]").href = res.data.url;
        dialog.showModal();
      })
      .catch(function () { clipMake.disabled = false; clipMsg.textContent = "The clipping could not be made: check your connection."; });
  });
  $("[data-ep-copy]").addEventListener("click", function () {
    var input = $("[data-ep-cliplink]");
    input.select();
    if (navigator.clipboard) navigator.clipboard.writeText(input.value).catch(function () {});
    this.textContent = "Copied";
  });
  $("[data-ep-dialog-close]").addEventListener("click", function () { $("[data-ep-dialog]").close(); });

  /* Find in this edition */
  function openSide(title) { sideTitle.textContent = title; side.hidden = false; }
  function closeSide() { side.hidden = true; state.text = false; $("[data-ep-textview]").setAttribute("aria-pressed", "false"); applyZoom(state.zoom); }
  $("[data-ep-side-close]").addEventListener("click", function () { state.hits = []; drawMarks(); closeSide(); });
  function drawMarks() {
    marks.textContent = "";
    state.hits.forEach(function (hit, i) {
      if (hit.page !== state.n) return;
      hit.boxes.forEach(function (b) {
        var m = document.createElement("div");
        m.className = "ep-mark" + (i === state.active ? " is-current" : "");
        m.style.left = b[0] / 100 + "%"; m.style.top = b[1] / 100 + "%";
        m.style.width = (b[2] - b[0]) / 100 + "%"; m.style.height = (b[3] - b[1]) / 100 + "%";
        marks.appendChild(m);
      });
    });
  }
  var narrow = window.matchMedia("(max-width: 48rem)");
  function focusHit(i) {
    var hit = state.hits[i];
    state.active = i;
    if (narrow.matches) { side.hidden = true; root.scrollIntoView({ block: "start" }); } /* a phone: the page, not the list */
    if (hit.page !== state.n) show(hit.page, true); else drawMarks();
    var b = hit.boxes[0];
    if (b) {
      var r = img.getBoundingClientRect();
      stage.scrollTop = Math.max(0, b[1] / 10000 * r.height - stage.clientHeight / 3);
      stage.scrollLeft = Math.max(0, b[0] / 10000 * r.width - stage.clientWidth / 3);
    }
  }
  $("[data-ep-find]").addEventListener("submit", function (e) {
    e.preventDefault();
    var q = this.q.value.trim();
    state.text = false; $("[data-ep-textview]").setAttribute("aria-pressed", "false");
    openSide("Find in this edition");
    sideBody.textContent = "Searching…";
    fetch(config.find + "?q=" + encodeURIComponent(q), { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        sideBody.textContent = "";
        if (data.error) { sideBody.textContent = data.error; return; }
        state.hits = data.hits; state.active = -1;
        var p = document.createElement("p");
        p.textContent = data.count ? data.count + (data.count === 1 ? " match" : " matches") + " for “" + data.query + "”" : "No page has “" + data.query + "”.";
        sideBody.appendChild(p);
        var ol = document.createElement("ol");
        data.hits.forEach(function (hit, i) {
          var li = document.createElement("li"), b = document.createElement("button");
          b.type = "button"; b.className = "ep-hit";
          var pg = document.createElement("span"); pg.className = "ep-hit-page"; pg.textContent = "Page " + hit.page;
          var mark = document.createElement("mark"); mark.textContent = hit.match;
          b.append(pg, hit.before + " ", mark, " " + hit.after);
          b.addEventListener("click", function () { focusHit(i); });
          li.appendChild(b); ol.appendChild(li);
        });
        sideBody.appendChild(ol);
        drawMarks();
        applyZoom(state.zoom);
        if (state.fromSearch) { /* the reader came for this page: show its first match (on a phone, the page, not the list) */
          state.fromSearch = false;
          var here = state.hits.findIndex(function (hit) { return hit.page === state.n; });
          if (here >= 0) focusHit(here);
        }
      })
      .catch(function () { sideBody.textContent = "Find did not answer: check your connection."; });
  });

  /* Read the page as text: the PDF's lines joined into paragraphs (a short line that ends a sentence ends one). */
  function paragraphs(text) {
    var lines = text.split("\n").map(function (l) { return l.trim(); }).filter(Boolean);
    var sorted = lines.map(function (l) { return l.length; }).sort(function (a, b) { return a - b; });
    var median = sorted[Math.floor(sorted.length / 2)] || 0, out = [], current = "";
    lines.forEach(function (line) {
      current = !current ? line : (/-$/.test(current) ? current + line : current + " " + line);
      if (line.length < median * 0.5 || (/[.!?\u201d":]$/.test(line) && line.length < median * 0.85)) { out.push(current); current = ""; }
    });
    if (current) out.push(current);
    return out;
  }
  function loadText() {
    var p = page(state.n);
    openSide("Page " + state.n + " as text");
    if (!p.text) { sideBody.textContent = "This page has no text."; return; }
    sideBody.textContent = "Loading…";
    fetch(p.text, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (data) {
      var div = document.createElement("div"); div.className = "ep-pagetext";
      var paras = paragraphs(data.text || "");
      if (!paras.length) div.textContent = "This page has no text.";
      paras.forEach(function (text) { var el = document.createElement("p"); el.textContent = text; div.appendChild(el); });
      sideBody.textContent = ""; sideBody.appendChild(div);
    });
  }
  $("[data-ep-textview]").addEventListener("click", function () {
    state.text = !state.text;
    this.setAttribute("aria-pressed", state.text ? "true" : "false");
    if (state.text) loadText(); else closeSide();
    applyZoom(state.zoom);
  });

  window.addEventListener("resize", function () { applyZoom(state.zoom); });
  history.replaceState({ n: state.n }, "", location.href);
  applyZoom(1);
  /* Opened from site search (?find=words): find those words in this edition at once. */
  var asked = new URLSearchParams(location.search).get("find");
  var findForm = $("[data-ep-find]");
  if (asked && findForm) { findForm.q.value = asked.slice(0, 100); state.fromSearch = true; findForm.requestSubmit(); }
  var following = page(state.n + 1);
  if (following && following.src) { var pre = new Image(); pre.src = following.src; }
})();
