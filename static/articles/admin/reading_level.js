// Keeps the body's reading level under the editor current as the editor
// types: after each pause the body goes to the server
// (articles/admin/reading_level.py), which measures it as it measures a saved
// article, and its answer fills the parts of the panel the admin rendered
// (articles/templates/articles/widgets/body_editor.html).
import { Extension, pm } from "django-prose-editor/editor"

const { Plugin } = pm.state

// Long enough not to ask on every key, short enough to feel live.
const PAUSE_MS = 400

// Grades as the admin's template writes them (floatformat:"-1"): "8", "12.6".
const number = (value) => String(Math.round(value * 10) / 10)

class Panel {
  constructor(box) {
    this.box = box
  }

  part(name) {
    return this.box.querySelector(`[data-reading="${name}"]`)
  }

  list(name, items) {
    this.part(name).querySelector("ol, ul").replaceChildren(
      ...items.map((text) => {
        const item = document.createElement("li")
        item.textContent = text
        return item
      }),
    )
    this.part(name).hidden = !items.length
  }

  show(level) {
    this.part("summary").textContent =
      level.grade === null
        ? "no text to measure yet."
        : `grade ${number(level.grade)}; reading ease ` +
          `${number(level.reading_ease)} (0–100, higher is easier).`
    const warning = this.part("warning")
    warning.textContent = level.is_above_target ? warning.dataset.message : ""
    warning.hidden = !level.is_above_target
    this.part("error").hidden = true
    this.list(
      "long",
      level.long_sentences.map((s) => `“${s.text}” (${s.words} words)`),
    )
    this.list(
      "plainer",
      level.plainer_words.map(
        (w) => `“${w.word}” → ${w.plainer}${w.count > 1 ? ` (${w.count} times)` : ""}`,
      ),
    )
  }

  failed() {
    this.part("error").hidden = false
  }
}

export const ReadingLevel = Extension.create({
  name: "readingLevel",

  addOptions() {
    return { url: "" }
  },

  addProseMirrorPlugins() {
    const { editor } = this
    const { url } = this.options
    return [
      new Plugin({
        view(view) {
          const textarea = view.dom
            .closest(".prose-editor")
            ?.querySelector("textarea")
          const box =
            textarea && document.getElementById(`${textarea.id}_reading_level`)
          if (!box || !url) return {}
          const panel = new Panel(box)
          let timer = null
          let controller = null
          const measure = async () => {
            // Only the answer to the latest text is shown.
            controller?.abort()
            controller = new AbortController()
            const token = textarea.form?.querySelector(
              "[name=csrfmiddlewaretoken]",
            )?.value
            try {
              const response = await fetch(url, {
                method: "POST",
                headers: { "X-CSRFToken": token || "" },
                body: new URLSearchParams({ body: editor.getHTML() }),
                signal: controller.signal,
              })
              if (!response.ok) throw new Error(`HTTP ${response.status}`)
              panel.show(await response.json())
            } catch (error) {
              if (error.name !== "AbortError") panel.failed()
            }
          }
          return {
            update(view, previous) {
              if (view.state.doc === previous.doc) return
              clearTimeout(timer)
              timer = setTimeout(measure, PAUSE_MS)
            },
            destroy() {
              clearTimeout(timer)
              controller?.abort()
            },
          }
        },
      }),
    ]
  },
})
