// The reading app: a small single-page app on the reader API alone (/api/v1/).
//
// What it keeps on the device (localStorage, keys "bs.*"): the token, the last front,
// stories saved for later, and the teasers of locked stories. A story's text is kept
// only if the API opened it for this reader, and only until its `keep_until`; a locked
// story is kept as its lead and offer, never more. The e-paper is never kept: its pages
// come from links signed for this reader that the site serves "no-store", and the app
// puts none of it in storage. Signing out, or any sign of being signed out elsewhere
// (a 401 on a call with our token), wipes every "bs.*" key.
"use strict";

const API = "/api/v1";
const view = document.getElementById("view");
const zone = view.dataset.timeZone || "Asia/Kolkata"; // times as the paper shows them
const keep = {
  get(name, fallback) {
    try {
      const raw = localStorage.getItem("bs." + name);
      return raw === null ? fallback : JSON.parse(raw);
    } catch (_) {
      return fallback;
    }
  },
  set(name, value) {
    localStorage.setItem("bs." + name, JSON.stringify(value));
  },
  wipe() {
    Object.keys(localStorage).filter((k) => k.startsWith("bs.")).forEach((k) => localStorage.removeItem(k));
  },
};

class Offline extends Error {}
class Stale extends Error {} // the reader moved on while this view was loading: drop it
let seq = 0; // counts route changes

async function api(path, { method = "GET", body = null, idempotent = false, background = false } = {}) {
  const mine = seq;
  const token = keep.get("token", null);
  const headers = { Accept: "application/json" };
  if (token) headers.Authorization = "Bearer " + token;
  if (body !== null) headers["Content-Type"] = "application/json";
  if (idempotent) headers["Idempotency-Key"] = crypto.randomUUID();
  let response;
  try {
    response = await fetch(API + path, {
      method, headers, body: body === null ? null : JSON.stringify(body), credentials: "omit", cache: "no-store",
    });
  } catch (_) {
    setOffline(true);
    throw new Offline();
  }
  setOffline(false);
  const data = response.status === 204 ? null : await response.json().catch(() => null);
  if (response.status === 401 && token) {
    forget(data && data.code === "token_expired" ? "Your log-in has expired. Log in again." :
      "You were signed out on another device or from your account page.");
  }
  if (!background && mine !== seq) throw new Stale();
  return { ok: response.ok, status: response.status, data };
}

function setOffline(offline) {
  document.getElementById("offline").hidden = !offline;
}

function say(text) {
  const box = document.getElementById("message");
  box.textContent = text || "";
  box.hidden = !text;
}

function forget(message) {
  keep.wipe();
  renderAccountTab();
  say(message);
}

// --- small DOM helpers ----------------------------------------------------------------

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") node.className = v;
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v);
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined && child !== false) {
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
  }
  return node;
}

function show(...nodes) {
  // Parts left out (null, false) stay out: replaceChildren would print them as text.
  view.replaceChildren(...nodes.filter((n) => n !== null && n !== undefined && n !== false));
  view.focus({ preventScroll: true });
  window.scrollTo(0, 0);
}

function when(iso) {
  return new Date(iso).toLocaleString("en-IN", {
    day: "numeric", month: "short", hour: "2-digit", minute: "2-digit", timeZone: zone,
  });
}

function day(iso) {
  return new Date(iso).toLocaleDateString("en-IN", { day: "numeric", month: "long", year: "numeric", timeZone: zone });
}

function local(url) {
  // The API's links are absolute; the app is served by the same site, so it asks this origin.
  try {
    const u = new URL(url, location.href);
    return u.pathname + u.search;
  } catch (_) {
    return url;
  }
}

function pictureOf(picture, { sizes, lazy = true, cls = "pic" }) {
  // A lead picture from its renditions: WebP with a JPEG fallback, sized so nothing jumps.
  if (!picture || !picture.renditions.length) return null;
  const of = (format) => picture.renditions.filter((r) => r.format === format);
  const srcset = (list) => list.map((r) => `${local(r.url)} ${r.width}w`).join(", ");
  const jpeg = of("jpeg");
  const fallback = jpeg.find((r) => r.width >= 400) || jpeg[jpeg.length - 1];
  if (!fallback) return null;
  const img = el("img", {
    src: local(fallback.url), srcset: srcset(jpeg), sizes, width: fallback.width, height: fallback.height,
    alt: picture.alt, decoding: "async",
  });
  if (lazy) img.setAttribute("loading", "lazy");
  img.addEventListener("error", () => {
    // Offline, or gone: the story reads on without an empty frame (pictures are not kept offline).
    const card = img.closest(".card");
    if (card) card.classList.remove("with-pic");
    (img.closest("figure") || img.closest("picture")).remove();
  });
  return el("picture", { class: cls }, of("webp").length ? el("source", { type: "image/webp", srcset: srcset(of("webp")), sizes }) : null, img);
}

function card(story) {
  const picture = pictureOf(story.picture, { sizes: "7rem", cls: "pic card-pic" });
  return el("li", { class: picture ? "card with-pic" : "card" },
    el("div", { class: "card-text" },
      el("p", { class: "kicker" }, story.section.name, story.access === "premium" ? el("span", { class: "badge" }, "Premium") : null),
      el("h3", {}, el("a", { href: "#/article/" + story.id }, story.headline)),
      story.standfirst ? el("p", { class: "standfirst" }, story.standfirst) : null,
      el("p", { class: "meta" }, [story.byline, when(story.published_at)].filter(Boolean).join(" · "))),
    picture);
}

function cards(stories) {
  return el("ul", { class: "cards" }, stories.map(card));
}

// --- keeping stories -----------------------------------------------------------------

function purgeExpired() {
  const now = Date.now();
  const saved = keep.get("saved", null);
  if (!saved) return;
  const expired = Object.keys(saved).filter((id) => saved[id].keep_until && Date.parse(saved[id].keep_until) <= now);
  expired.forEach((id) => delete saved[id]);
  if (expired.length) keep.set("saved", saved);
}

function remember(story) {
  // A story as the API sent it: the text only when open, otherwise the teaser (lead and offer).
  if (story.open) {
    const saved = keep.get("saved", {});
    if (saved[story.id]) {
      saved[story.id] = story;
      keep.set("saved", saved);
    }
    const teasers = keep.get("teasers", {});
    delete teasers[story.id];
    keep.set("teasers", teasers);
  } else {
    const teaser = { ...story, body_html: null };
    const teasers = keep.get("teasers", {});
    teasers[story.id] = teaser;
    keep.set("teasers", teasers);
    const saved = keep.get("saved", {});
    if (saved[story.id]) {
      delete saved[story.id];
      keep.set("saved", saved);
      say("A saved story is no longer open to you, so it was removed from this device.");
    }
  }
}

function toggleSaved(story) {
  const saved = keep.get("saved", {});
  if (saved[story.id]) delete saved[story.id];
  else if (story.open) saved[story.id] = story;
  keep.set("saved", saved);
  renderArticle(story);
}

async function refreshSaved() {
  // Ask again about every saved story: text the reader may no longer read leaves the device.
  // Re-reading is free on the meter (counted once a month), and a saved metered story
  // expires with the month anyway.
  for (const id of Object.keys(keep.get("saved", {}))) {
    try {
      const { ok, status, data } = await api("/articles/" + id, { background: true });
      if (ok) remember(data);
      else if (status === 404 || status === 410) toggleSavedOff(id);
      else if (status === 401) return;
    } catch (e) {
      if (e instanceof Offline) return;
      throw e;
    }
  }
}

function toggleSavedOff(id) {
  const saved = keep.get("saved", {});
  delete saved[id];
  keep.set("saved", saved);
}

// --- views -------------------------------------------------------------------------------

async function renderFront() {
  let front = keep.get("front", null);
  try {
    const { ok, data } = await api("/front");
    if (ok) {
      front = data;
      keep.set("front", front);
    }
  } catch (e) {
    if (!(e instanceof Offline)) throw e;
  }
  if (!front) return show(el("p", {}, "The front is not available offline yet. Open the app once online."));
  renderSections(front.sections.map((b) => b.section));
  const blocks = [];
  if (front.top.length) blocks.push(el("section", {}, el("h2", {}, "Top stories"), cards(front.top)));
  if (front.latest.length) blocks.push(el("section", {}, el("h2", {}, "Latest"), cards(front.latest)));
  if (front.premium.length) blocks.push(el("section", {}, el("h2", {}, "Premium"), cards(front.premium)));
  for (const block of front.sections) {
    blocks.push(el("section", {}, el("h2", {}, el("a", { href: "#/section/" + block.section.slug }, block.section.name)),
      cards(block.stories)));
  }
  show(...blocks);
}

function renderSections(sections) {
  const nav = document.getElementById("sections");
  nav.replaceChildren(el("ul", {}, sections.map((s) => el("li", {}, el("a", { href: "#/section/" + s.slug }, s.name)))));
}

async function renderSection(slug, cursor = null) {
  try {
    const path = cursor ? `/articles?section=${encodeURIComponent(slug)}&cursor=${encodeURIComponent(cursor)}` :
      "/sections/" + encodeURIComponent(slug);
    const { ok, data } = await api(path);
    if (!ok) return show(el("p", {}, "No such section."));
    const stories = cursor ? data.items : data.stories;
    const more = data.next_cursor;
    const title = cursor ? null : el("h1", {}, data.section.name);
    show(title, cards(stories),
      more ? el("p", {}, el("button", { class: "button", onclick: () => renderSection(slug, more) }, "More stories")) : null);
  } catch (e) {
    if (!(e instanceof Offline)) throw e;
    const block = (keep.get("front", { sections: [] }).sections || []).find((b) => b.section.slug === slug);
    show(el("h1", {}, block ? block.section.name : "Offline"),
      block ? cards(block.stories) : el("p", {}, "This section is not available offline."));
  }
}

async function openArticle(id) {
  let story = null;
  try {
    const { ok, status, data } = await api("/articles/" + id);
    if (ok) {
      story = data;
      remember(story);
    } else if (status === 404 || status === 410) {
      toggleSavedOff(id);
      return show(el("h1", {}, status === 410 ? "Story withdrawn" : "Story not found"),
        data && data.detail ? el("p", {}, data.detail) : null);
    } else if (status !== 401) {
      return show(el("p", {}, (data && data.title) || "This story could not be opened."));
    }
  } catch (e) {
    if (!(e instanceof Offline)) throw e;
  }
  story = story || keep.get("saved", {})[id] || keep.get("teasers", {})[id];
  if (!story) {
    return show(el("h1", {}, "Not saved for offline reading"),
      el("p", {}, "Open this story when you are back online, and save it to read it offline."));
  }
  renderArticle(story);
}

function renderArticle(story) {
  const saved = Boolean(keep.get("saved", {})[story.id]);
  const body = el("div", { class: "story-body" });
  body.innerHTML = story.open ? story.body_html : story.lead_html; // sanitised by the server
  const parts = [
    el("p", { class: "kicker" }, story.section.name, story.access === "premium" ? el("span", { class: "badge" }, "Premium") : null),
    el("h1", { id: "story-headline" }, story.headline),
    story.standfirst ? el("p", { class: "standfirst" }, story.standfirst) : null,
    el("p", { class: "meta" }, [story.byline, when(story.published_at)].filter(Boolean).join(" · ")),
    story.countdown ? el("p", { class: "countdown" }, story.countdown) : null,
    story.picture ? el("figure", { class: "lead-pic" },
      pictureOf(story.picture, { sizes: "(min-width: 46rem) 44rem, 100vw", lazy: false }),
      story.picture.caption || story.picture.credit ? el("figcaption", {}, story.picture.caption,
        story.picture.credit ? el("span", { class: "credit" }, story.picture.credit) : null) : null) : null,
    body,
    story.open && story.signoff ? el("p", { class: "signoff" }, story.signoff) : null,
    story.open && story.desk ? el("p", { class: "signoff" }, story.desk) : null,
    story.disclaimer ? el("p", { class: "disclaimer" }, "Disclaimer: " + story.disclaimer + ".") : null,
  ];
  if (story.open) {
    parts.splice(5, 0, el("p", { class: "actions" },
      el("button", { class: saved ? "button secondary" : "button", id: "save", onclick: () => toggleSaved(story) },
        saved ? "Saved · remove" : "Save for later")));
  } else if (story.offer) {
    parts.push(renderOffer(story.offer));
  }
  show(el("article", { class: "story" }, parts));
}

function renderOffer(offer, blurb = null) {
  const signedIn = Boolean(keep.get("token", null));
  return el("section", { class: "paywall", "aria-labelledby": "offer-h" },
    el("h2", { id: "offer-h" }, offer.headline),
    el("p", {}, blurb || (offer.kind === "regwall" ? "Create a free account to read more stories this month." :
      "Subscribe for unlimited access.")),
    el("ul", { class: "plans" }, offer.plans.map((p) => el("li", { class: "plan" },
      el("h3", { class: "plan-name" }, p.name),
      el("p", { class: "plan-price" }, el("span", { class: "price" }, p.price), " · ", p.period, " · ",
        el("span", { class: "per-month" }, p.per_month + "/Month")),
      el("a", { class: "button", href: offer.subscribe_url + "&plan=" + encodeURIComponent(p.slug), target: "_blank", rel: "noopener" },
        "Subscribe")))),
    el("p", { class: "renews" }, offer.renews),
    offer.benefits.length ? el("ul", { class: "benefits" }, offer.benefits.map((b) =>
      el("li", {}, el("strong", {}, b.name), b.description ? ": " + b.description : ""))) : null,
    signedIn ? null : el("p", {}, "Already subscribed? ", el("a", { href: "#/account" }, "Log in")));
}

// --- the e-paper: asked afresh every time, never kept on the device ---------------------------

function apiPath(url) {
  return local(url).replace(/^\/api\/v1/, "");
}

async function renderEpaper() {
  try {
    const { ok, data } = await api("/epaper/editions?limit=14");
    if (!ok) return show(el("h1", {}, "E-paper"), el("p", {}, "The e-paper could not be opened."));
    show(el("h1", {}, "E-paper"),
      data.open ? el("p", { class: "meta" }, "Today's paper and the past editions, page by page as printed.") :
        el("p", { class: "meta" }, "Every edition's front page is free to see; its pages come with a plan that includes the e-paper."),
      data.items.length ? el("ul", { class: "editions" }, data.items.map((e) => el("li", { class: "edition" },
        el("a", { href: `#/epaper/${e.date}/${e.slug}/1` },
          e.front_thumb ? el("img", { src: local(e.front_thumb.url), width: e.front_thumb.width, height: e.front_thumb.height,
            alt: "", loading: "lazy" }) : el("span", { class: "no-thumb" }),
          el("span", { class: "edition-name" }, e.name),
          el("span", { class: "meta" }, e.title.slice(e.name.length + 2)))))) :
        el("p", { class: "empty" }, "No edition has been published yet."));
  } catch (e) {
    if (!(e instanceof Offline)) throw e;
    show(el("h1", {}, "E-paper"), el("p", {}, "The e-paper needs a connection: its pages are not kept on this device."));
  }
}

async function renderEdition(date, slug, wanted) {
  let found;
  try {
    found = await api(`/epaper/editions/${encodeURIComponent(date)}/${encodeURIComponent(slug)}`);
  } catch (e) {
    if (!(e instanceof Offline)) throw e;
    return show(el("h1", {}, "E-paper"), el("p", {}, "The e-paper needs a connection: its pages are not kept on this device."));
  }
  const { ok, status, data } = found;
  if (!ok) return show(el("h1", {}, status === 404 ? "No such edition" : "The edition could not be opened."),
    el("p", {}, el("a", { href: "#/epaper" }, "All editions")));
  const heading = [el("p", { class: "kicker" }, el("a", { href: "#/epaper" }, "E-paper")), el("h1", { id: "edition-title" }, data.title)];
  if (!data.open) {
    return show(...heading,
      data.front_thumb ? el("img", { class: "front-thumb", src: local(data.front_thumb.url), width: data.front_thumb.width,
        height: data.front_thumb.height, alt: "The front page of this edition" }) : null,
      el("p", {}, `${data.page_count} pages, as printed.`),
      data.offer ? renderOffer(data.offer, "Read every edition page by page as it was printed, find in it, and download it.") : null);
  }
  const count = data.pages.length;
  const n = Math.min(Math.max(parseInt(wanted, 10) || 1, 1), count);
  const page = data.pages[n - 1];
  const base = `#/epaper/${data.date}/${data.slug}/`;
  const text = el("div", { class: "page-text", id: "page-text", hidden: "" });
  const textButton = el("button", { class: "button secondary", id: "show-text", onclick: () => showPageText(page, text, textButton) }, "Page text");
  const download = el("a", { class: "button secondary", id: "download", href: "#", "aria-disabled": "true" }, "Download PDF");
  const nav = el("p", { class: "page-nav" },
    n > 1 ? el("a", { class: "button secondary", href: base + (n - 1), rel: "prev" }, "‹ Previous") : null,
    el("span", { class: "page-count", id: "page-count" }, `Page ${n} of ${count}`),
    n < count ? el("a", { class: "button secondary", href: base + (n + 1), rel: "next" }, "Next ›") : null);
  const image = page.images ? el("img", { class: "epaper-page", src: local(page.images.page.url), width: page.images.page.width,
    height: page.images.page.height, alt: `Page ${n} of the ${data.name} edition` }) :
    el("p", { class: "broken" }, "This page could not be shown.");
  const strip = el("ol", { class: "page-strip" }, data.pages.map((p) => el("li", {},
    el("a", { href: base + p.number, "aria-current": p.number === n ? "page" : null, "aria-label": "Page " + p.number },
      p.images ? el("img", { src: local(p.images.thumb.url), width: p.images.thumb.width, height: p.images.thumb.height, alt: "", loading: "lazy" }) :
        el("span", { class: "no-thumb" }, p.number)))));
  show(...heading, nav, image, el("p", { class: "actions" }, textButton, " ", data.download_url ? download : null), text, strip);
  if (data.download_url) {
    // A link made for this reader and device, valid for minutes: opened in the browser, without the token.
    api(apiPath(data.download_url), { background: true }).then(({ ok, data: link }) => {
      if (!ok) return download.remove();
      download.href = local(link.url);
      download.removeAttribute("aria-disabled");
      download.setAttribute("target", "_blank");
      download.setAttribute("rel", "noopener");
    }).catch(() => download.remove());
  }
}

async function showPageText(page, box, button) {
  if (!box.hidden) {
    box.hidden = true;
    button.textContent = "Page text";
    return;
  }
  if (!page.text_url) return;
  const { ok, data } = await api(apiPath(page.text_url), { background: true });
  if (!ok) return;
  box.replaceChildren(el("h2", {}, `Page ${data.number}: the text`),
    ...(data.paragraphs.length ? data.paragraphs.map((t) => el("p", {}, t)) : [el("p", { class: "empty" }, "This page has no text.")]));
  box.hidden = false;
  button.textContent = "Hide the text";
}

function renderSaved() {
  purgeExpired();
  const saved = Object.values(keep.get("saved", {})).sort((a, b) => Date.parse(b.published_at) - Date.parse(a.published_at));
  show(el("h1", {}, "Saved for later"),
    saved.length ? cards(saved) : el("p", { class: "empty" }, "Nothing saved yet. Open a story and choose “Save for later” to read it offline."));
}

async function renderAccount() {
  if (!keep.get("token", null)) return renderSignIn();
  try {
    const [me, meter, benefits, devices, letters] = await Promise.all(
      ["/me", "/me/meter", "/me/benefits", "/me/devices", "/me/newsletters"].map((p) => api(p)));
    if (!me.ok) return renderSignIn();
    show(
      el("h1", {}, "Your account"),
      el("p", {}, "Signed in as ", el("strong", { id: "me-email" }, me.data.email)),
      el("h2", {}, "Your plan"),
      benefits.data.benefits.length ? el("ul", {}, benefits.data.benefits.map((b) =>
        el("li", {}, el("strong", {}, b.name), b.until ? " until " + day(b.until) : " (on this network)"))) :
        el("p", {}, "No plan yet. ", el("a", { href: "/subscribe/", target: "_blank", rel: "noopener" }, "See the plans")),
      meter.data.applies ? el("p", { class: "meter", id: "meter" },
        `${meter.data.used} of ${meter.data.limit} free stories used this month; the count starts again on ${day(meter.data.resets_at)}.`) : null,
      letters.ok ? renderNewsletters(letters.data) : null,
      el("h2", {}, "Your devices"),
      el("p", {}, `You can be signed in on up to ${devices.data.limit} devices at once.`),
      el("ul", { class: "devices" }, devices.data.devices.map((d) => el("li", {},
        el("strong", {}, d.name), d.this_device ? " · this device" : "", " · last seen " + when(d.last_seen), " ",
        d.this_device ? null : el("button", { class: "link", onclick: () => signOutDevice(d.id) }, "Sign out")))),
      el("p", {}, el("button", { class: "button", id: "sign-out", onclick: signOut }, "Sign out")),
      el("p", { class: "meta" }, "Signing out removes the saved stories and everything else this app kept on this device."),
    );
  } catch (e) {
    if (!(e instanceof Offline)) throw e;
    show(el("h1", {}, "Your account"), el("p", {}, "Your account is not available offline."),
      el("p", {}, el("button", { class: "button", id: "sign-out", onclick: signOut }, "Sign out")));
  }
}

function renderNewsletters(mine) {
  const rows = mine.items.filter((n) => n.may_join || n.status === "active" || n.status === "pending");
  return el("section", { class: "newsletters", "aria-labelledby": "letters-h" },
    el("h2", { id: "letters-h" }, "Newsletters"),
    el("p", { class: "meta" }, "Sent to ", el("strong", {}, mine.email),
      mine.confirmed ? "." : ". Confirm the address with the link we mail you, and the newsletters you chose start."),
    el("ul", { class: "letters" }, rows.map((n) => {
      const box = el("input", { type: "checkbox", id: "nl-" + n.slug, onchange: () => setNewsletter(n.slug, box.checked) });
      box.checked = n.status === "active" || n.status === "pending";
      return el("li", {}, box, " ", el("label", { for: "nl-" + n.slug }, el("strong", {}, n.name), " · ", n.cadence_text,
        n.status === "pending" ? el("span", { class: "badge" }, "Waiting for confirmation") : null),
        el("p", { class: "meta" }, n.description));
    })));
}

async function setNewsletter(slug, on) {
  await api("/me/newsletters/" + encodeURIComponent(slug), { method: on ? "PUT" : "DELETE", idempotent: true, background: true });
  renderAccount();
}

function renderSignIn(error = "") {
  const email = el("input", { type: "email", name: "email", id: "email", autocomplete: "username", required: "" });
  const password = el("input", { type: "password", name: "password", id: "password", autocomplete: "current-password", required: "" });
  const form = el("form", { class: "sign-in", onsubmit: (event) => { event.preventDefault(); signIn(email.value, password.value); } },
    el("h1", {}, "Log in"),
    error ? el("p", { class: "error", role: "alert" }, error) : null,
    el("label", { for: "email" }, "E-mail address"), email,
    el("label", { for: "password" }, "Password"), password,
    el("button", { class: "button", type: "submit" }, "Log in"),
    el("p", { class: "meta" }, "No account? ", el("a", { href: "/accounts/signup/", target: "_blank", rel: "noopener" }, "Register free"), "."));
  show(form);
}

async function signIn(email, password) {
  try {
    const { ok, data } = await api("/auth/token", { method: "POST", body: { email, password }, idempotent: true, background: true });
    if (!ok) return renderSignIn((data && data.title) || "Signing in did not work.");
    const previous = keep.get("user", null);
    if (previous !== email.toLowerCase()) keep.wipe(); // another reader's stories never stay
    keep.set("token", data.token);
    keep.set("user", email.toLowerCase());
    say("");
    renderAccountTab();
    location.hash = "#/";
  } catch (e) {
    if (!(e instanceof Offline)) throw e;
    renderSignIn("You're offline. Log in when you are back online.");
  }
}

async function signOut() {
  try {
    await api("/auth/token", { method: "DELETE", idempotent: true, background: true });
  } catch (_) {
    // Offline: the token is forgotten here anyway; the account page can sign this device out.
  }
  forget("You're signed out. Saved stories were removed from this device.");
  location.hash = "#/";
  route();
}

async function signOutDevice(id) {
  await api("/me/devices/" + id, { method: "DELETE", idempotent: true, background: true });
  renderAccount();
}

function renderAccountTab() {
  document.getElementById("account-tab").textContent = keep.get("token", null) ? "Account" : "Log in";
}

// --- routing ---------------------------------------------------------------------------

function route() {
  seq += 1;
  const [, name, arg, ...rest] = (location.hash || "#/").split("/");
  for (const tab of document.querySelectorAll("[data-tab]")) {
    tab.toggleAttribute("aria-current", tab.dataset.tab === (name || "front"));
  }
  purgeExpired();
  let shown;
  if (name === "article" && arg) shown = openArticle(arg);
  else if (name === "section" && arg) shown = renderSection(decodeURIComponent(arg));
  else if (name === "saved") shown = renderSaved();
  else if (name === "epaper" && arg && rest.length) shown = renderEdition(arg, decodeURIComponent(rest[0]), rest[1]);
  else if (name === "epaper") shown = renderEpaper();
  else if (name === "account") shown = renderAccount();
  else shown = renderFront();
  Promise.resolve(shown).catch((e) => {
    if (!(e instanceof Stale)) throw e;
  });
}

window.addEventListener("hashchange", route);
window.addEventListener("online", () => setOffline(false));
window.addEventListener("offline", () => setOffline(true));
renderAccountTab();
route();
if (keep.get("token", null)) {
  api("/me", { background: true }).then(() => refreshSaved()).catch(() => {});
}
if ("serviceWorker" in navigator) {
  navigator.serviceWorker.register("/app/sw.js", { scope: "/app/" });
}
