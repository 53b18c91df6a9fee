// Gives the editable area its field's name ("Body"), which screen readers
// announce on entering it. The label names the textarea the editor replaces,
// which is hidden, so nothing would name the area the editor types in.
import { Extension } from "django-prose-editor/editor"

export const FieldLabel = Extension.create({
  name: "fieldLabel",

  onCreate() {
    const area = this.editor.view.dom
    const textarea = area.closest(".prose-editor")?.querySelector("textarea")
    if (!textarea?.id) return
    const label = document.querySelector(`label[for="${CSS.escape(textarea.id)}"]`)
    if (!label) return
    label.id ||= `${textarea.id}-label`
    area.setAttribute("aria-labelledby", label.id)
  },
})
