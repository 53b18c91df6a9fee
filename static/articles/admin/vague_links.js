// Marks links whose text says nothing on its own ("clicking here", a bare
// address) while the editor types, and keeps the list beside the body current.
// The rules come from articles/link_text.py through the editor's config
// (browser_rules()); isVagueText() applies them as is_vague() does there.
import { Extension, pm } from "django-prose-editor/editor"

const { Plugin, PluginKey } = pm.state
const { Decoration, DecorationSet } = pm.view

export function vagueTextTest({ emptyWords, wordPattern, addressPattern }) {
  const empty = new Set(emptyWords)
  const word = new RegExp(wordPattern, "g")
  const address = new RegExp(`^(?:${addressPattern})$`, "i")
  const saysNothing = (token) =>
    address.test(token) ||
    (token.match(word) || []).every((w) => empty.has(w.toLowerCase()))
  return (text) => (text.match(/\S+/g) || []).every(saysNothing)
}

// Each link in the document with its text and range. Text under one link mark
// is one link even across bold or italic, as one <a> element in the HTML.
function documentLinks(doc, linkType) {
  const links = []
  doc.descendants((block, blockPos) => {
    if (!block.isTextblock) return true
    let current = null
    block.forEach((child, offset) => {
      const from = blockPos + 1 + offset
      const mark = linkType.isInSet(child.marks)
      const text = child.isText ? child.text : " "
      if (mark && current && current.mark.eq(mark) && current.to === from) {
        current.to += child.nodeSize
        current.text += text
      } else {
        current = mark ? { mark, from, to: from + child.nodeSize, text } : null
        if (current) links.push(current)
      }
    })
    return false
  })
  return links
}

function sameLinks(a, b) {
  return (
    a.length === b.length &&
    a.every((link, i) => link.text === b[i].text && link.mark.eq(b[i].mark))
  )
}

// The warning the admin renders beside the body (articles/admin/body_editor.py):
// shown while there are vague links, listing each one.
class WarningList {
  constructor(view) {
    const textarea = view.dom.closest(".prose-editor")?.querySelector("textarea")
    this.box = textarea && document.getElementById(`${textarea.id}_vague_links`)
    this.shown = null
  }

  show(links) {
    if (!this.box || (this.shown && sameLinks(this.shown, links))) return
    this.shown = links
    this.box.querySelector("ul").replaceChildren(
      ...links.map((link) => {
        const item = document.createElement("li")
        const text = link.text.replace(/\s+/g, " ").trim() || "(no text)"
        item.textContent = `“${text}” (${link.mark.attrs.href})`
        return item
      }),
    )
    this.box.hidden = !links.length
  }
}

export const VagueLinks = Extension.create({
  name: "vagueLinks",

  addOptions() {
    return { emptyWords: [], wordPattern: "", addressPattern: "" }
  },

  addProseMirrorPlugins() {
    const isVague = vagueTextTest(this.options)
    const linkType = this.editor.schema.marks.link
    const key = new PluginKey("vagueLinks")
    const find = (doc) =>
      documentLinks(doc, linkType).filter((link) => isVague(link.text))
    return [
      new Plugin({
        key,
        state: {
          init: (_, state) => find(state.doc),
          apply: (tr, links) => (tr.docChanged ? find(tr.doc) : links),
        },
        props: {
          decorations(state) {
            const links = key.getState(state)
            return DecorationSet.create(
              state.doc,
              links.map((link) =>
                Decoration.inline(link.from, link.to, { class: "vague-link" }),
              ),
            )
          },
        },
        view(view) {
          const warning = new WarningList(view)
          warning.show(key.getState(view.state))
          return { update: (view) => warning.show(key.getState(view.state)) }
        },
      }),
    ]
  },
})
