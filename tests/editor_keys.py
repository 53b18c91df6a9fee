"""Keys pressed in the body editor, one at a time, as a person would.

ProseMirror keeps its own copy of the selection and writes it back to the
page after each change. A key pressed before that copy has caught up with the
browser's selection can be undone when ProseMirror redraws the older one, so
every press here waits until the two agree.
"""

# True once ProseMirror's own selection is the one the browser shows.
SELECTION_SETTLED = """(dom) => {
    const view = dom.editor.view
    const shown = getSelection()
    if (!shown.anchorNode || !dom.contains(shown.anchorNode)) return false
    const anchor = view.posAtDOM(shown.anchorNode, shown.anchorOffset)
    const head = view.posAtDOM(shown.focusNode, shown.focusOffset)
    const { selection } = view.state
    return selection.anchor === anchor && selection.head === head
}"""


def wait_for_settled_selection(page, editor):
    page.wait_for_function(SELECTION_SETTLED, arg=editor.element_handle())


def press(page, editor, key, times=1):
    """Press `key` `times` times in `editor`, each once the last has landed."""
    wait_for_settled_selection(page, editor)
    for _ in range(times):
        page.keyboard.press(key)
        wait_for_settled_selection(page, editor)
