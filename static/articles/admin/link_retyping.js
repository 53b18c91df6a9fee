// Typing over a link's text keeps the link on all the new words.
//
// Links do not grow when someone types right after them (the Link extension's
// autolink is off, which makes the mark non-inclusive), so a "." after a link
// stays outside it. On its own that would also drop the link when its text
// is selected and typed over. So typing that replaces a selection starting in
// a link carries the link on, for as long as the editor keeps typing there.
// Spaces and sentence punctuation typed last stay outside the link until more
// words follow, so "the new words." links "the new words".
import { Extension, pm } from "django-prose-editor/editor"

const { Plugin, PluginKey } = pm.state

const TRAILING = /[\s.,;:!?]+$/

export const LinkRetyping = Extension.create({
  name: "linkRetyping",

  addProseMirrorPlugins() {
    const linkType = this.editor.schema.marks.link
    const key = new PluginKey("linkRetyping")

    // The link being retyped: its mark, and where the new text starts and
    // ends; null once the editor types or clicks anywhere else.
    const retyping = (state, from, to) => {
      const current = key.getState(state)
      if (current && from === to && from === current.end) return current
      if (from === to) return null
      const mark = linkType.isInSet(state.doc.nodeAt(from)?.marks ?? [])
      return mark ? { mark, start: from } : null
    }

    return [
      new Plugin({
        key,
        state: {
          init: () => null,
          apply(tr, current, _old, state) {
            const meta = tr.getMeta(key)
            if (meta !== undefined) return meta
            if (!current) return null
            const end = tr.mapping.map(current.end, -1)
            const { empty, from } = state.selection
            if (!empty || from !== end) return null
            return { ...current, start: tr.mapping.map(current.start), end }
          },
        },
        props: {
          handleTextInput(view, from, to, text) {
            const current = retyping(view.state, from, to)
            if (!current) return false
            const { mark, start } = current
            const end = from + text.length
            const tr = view.state.tr.insertText(text, from, to)
            const linkGoesOn = mark.isInSet(tr.doc.nodeAt(end)?.marks ?? [])
            // One character for each line break, so lengths are positions.
            const typed = tr.doc.textBetween(start, end, undefined, "\ufffc")
            const linkEnd = linkGoesOn
              ? end
              : start + typed.replace(TRAILING, "").length
            tr.removeMark(start, end, mark).addMark(start, linkEnd, mark)
            view.dispatch(tr.setMeta(key, { mark, start, end }).scrollIntoView())
            return true
          },
        },
      }),
    ]
  },
})
