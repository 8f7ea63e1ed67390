// "Picture from the library": a django-prose-editor extension of ours for the desk's story editor.
// It searches the picture library (by caption, alt text or credit) or uploads a new picture into it,
// asks for the alt text, and inserts <figure><img src alt width height><figcaption>. The reader's page
// turns that <img> into the full <picture> with every rendition and adds the library's credit.
import { Extension } from "django-prose-editor/editor"

const el = (tag, props = {}, children = []) => {
  const node = Object.assign(document.createElement(tag), props)
  node.append(...children)
  return node
}

const field = (label, input, hint = "") =>
  el("label", { className: "bs-picker__field" }, [
    el("span", { textContent: label }),
    input,
    ...(hint ? [el("small", { textContent: hint })] : []),
  ])

const csrfToken = () => document.querySelector("input[name=csrfmiddlewaretoken]")?.value || ""

function openPicker(editor, { searchUrl, uploadUrl }) {
  let chosen = null
  const query = el("input", { type: "search", name: "q", placeholder: "caption, alt text or credit" })
  const results = el("ul", { className: "bs-picker__results" })
  const status = el("p", { className: "bs-picker__status", role: "status" })
  const error = el("p", { className: "bs-picker__error", role: "alert" })
  const preview = el("img", { className: "bs-picker__preview", alt: "" })
  const alt = el("input", { name: "alt", required: true, maxLength: 300 })
  const caption = el("input", { name: "caption", maxLength: 400 })
  const credit = el("p", { className: "bs-picker__credit" })
  const chosenBox = el("fieldset", { className: "bs-picker__chosen", hidden: true }, [
    el("legend", { textContent: "The picture to insert" }),
    preview,
    field("Alt text (required)", alt, "What the picture shows, for readers who cannot see it."),
    field("Caption", caption),
    credit,
  ])
  const file = el("input", { type: "file", name: "upload", accept: "image/jpeg,image/png,image/webp,image/gif" })
  const upload = el("form", { className: "bs-picker__upload" }, [
    field("File", file, "JPEG, PNG, WebP or GIF."),
    field("Alt text (required)", el("input", { name: "alt", required: true, maxLength: 300 })),
    field("Caption", el("input", { name: "caption", maxLength: 400 })),
    field("Credit", el("input", { name: "credit", maxLength: 200 })),
    el("button", { type: "submit", className: "button", textContent: "Upload" }),
  ])
  const insert = el("button", { type: "button", className: "button bs-picker__insert", textContent: "Insert picture", disabled: true })
  const cancel = el("button", { type: "button", className: "bs-picker__cancel", textContent: "Cancel" })
  const dialog = el("dialog", { className: "bs-picker" }, [
    el("h2", { textContent: "Picture from the library" }),
    field("Search the library", query),
    status,
    results,
    el("details", {}, [el("summary", { textContent: "Upload a new picture" }), upload]),
    chosenBox,
    error,
    el("div", { className: "bs-picker__actions" }, [cancel, insert]),
  ])

  const choose = (picture) => {
    chosen = picture
    preview.src = picture.thumb
    alt.value = picture.alt
    caption.value = picture.caption
    credit.textContent = picture.credit ? `Credit, shown under the picture: ${picture.credit}` : ""
    chosenBox.hidden = false
    insert.disabled = false
    alt.focus()
  }

  const show = (pictures) => {
    results.replaceChildren(
      ...pictures.map((p) =>
        el("li", {}, [
          el("button", { type: "button", onclick: () => choose(p) }, [
            el("img", { src: p.thumb, alt: "", width: 96, height: Math.round((96 * p.height) / p.width) }),
            el("span", { textContent: p.caption || p.alt }),
          ]),
        ]),
      ),
    )
    status.textContent = pictures.length ? `${pictures.length} shown, newest first.` : "No picture matches."
  }

  let timer = null
  const search = async () => {
    const response = await fetch(`${searchUrl}?q=${encodeURIComponent(query.value)}`, {
      headers: { Accept: "application/json" },
    })
    if (response.ok) show((await response.json()).pictures)
    else status.textContent = "The library could not be searched; try again."
  }
  query.addEventListener("input", () => {
    clearTimeout(timer)
    timer = setTimeout(search, 200)
  })

  upload.addEventListener("submit", async (event) => {
    event.preventDefault()
    error.textContent = ""
    const response = await fetch(uploadUrl, {
      method: "POST",
      body: new FormData(upload),
      headers: { "X-CSRFToken": csrfToken(), Accept: "application/json" },
    })
    const body = await response.json().catch(() => ({ errors: { upload: ["The upload failed; try again."] } }))
    if (!response.ok) {
      error.textContent = Object.values(body.errors || {}).flat().join(" ")
      return
    }
    upload.reset()
    upload.closest("details").open = false
    choose(body.picture)
  })

  insert.addEventListener("click", () => {
    if (!chosen) return
    if (!alt.value.trim()) {
      error.textContent = "Write the alt text: what the picture shows, for readers who cannot see it."
      alt.focus()
      return
    }
    const { src, width, height } = chosen
    const content = [{ type: "image", attrs: { src, width, height, alt: alt.value.trim() } }]
    if (caption.value.trim()) content.push({ type: "caption", content: [{ type: "text", text: caption.value.trim() }] })
    dialog.close()
    editor.chain().focus().insertContent({ type: "figure", content }).run()
  })
  cancel.addEventListener("click", () => dialog.close())
  dialog.addEventListener("close", () => dialog.remove())

  document.body.append(dialog)
  dialog.showModal()
  search()
}

export const LibraryPicture = Extension.create({
  name: "libraryPicture",

  addOptions() {
    return { searchUrl: null, uploadUrl: null }
  },

  addMenuItems({ buttons, menu }) {
    menu.defineItem({
      name: "libraryPicture",
      groups: "nodes",
      command: (editor) => openPicker(editor, this.options),
      button: buttons.material("add_photo_alternate", "Picture from the library"),
    })
  },
})
