// "Annotate selection": remember the words an analyst selects in an annotatable text
// ([data-annotatable]) and send them, with some context and their offset, when the
// matching "Annotate selection" control opens the form. The server re-finds the words.
// While words are selected, a copy of that control floats next to them.
(() => {
  const CONTEXT = 32;
  const selections = new Map();
  const floating = document.createElement("button");
  floating.type = "button";
  floating.className = "button button--small selection-control";
  floating.hidden = true;
  // Pressing it must not clear the selection it is about.
  floating.addEventListener("mousedown", (event) => event.preventDefault());
  floating.addEventListener("click", () => {
    floating.hidden = true;
    floating.control?.click();
  });

  function showNextTo(range, control) {
    const box = range.getBoundingClientRect();
    if (!floating.isConnected) document.body.append(floating);
    floating.textContent = control.textContent;
    floating.control = control;
    floating.hidden = false;
    const left = Math.min(box.left, document.documentElement.clientWidth - floating.offsetWidth - 8);
    floating.style.left = `${Math.max(8, left) + window.scrollX}px`;
    floating.style.top = `${box.bottom + window.scrollY + 6}px`;
  }

  document.addEventListener("selectionchange", () => {
    const selection = document.getSelection();
    if (!selection || selection.rangeCount === 0 || selection.isCollapsed) {
      floating.hidden = true;
      return;
    }
    const range = selection.getRangeAt(0);
    const node = range.commonAncestorContainer;
    const element = (node.nodeType === 1 ? node : node.parentElement)?.closest("[data-annotatable]");
    if (!element || !range.toString().trim()) {
      floating.hidden = true;
      return;
    }
    const control = document.querySelector(`[data-annotate-selection="${element.dataset.annotatable}"]`);
    if (control) showNextTo(range, control);
    else floating.hidden = true;
    const before = document.createRange();
    before.selectNodeContents(element);
    before.setEnd(range.startContainer, range.startOffset);
    const head = before.toString();
    const exact = range.toString();
    selections.set(element.dataset.annotatable, {
      exact,
      prefix: head.slice(-CONTEXT),
      suffix: element.textContent.slice(head.length + exact.length).slice(0, CONTEXT),
      start: String(Array.from(head).length), // code points, as the server counts
    });
  });

  document.addEventListener("htmx:configRequest", (event) => {
    const key = event.detail.elt.dataset?.annotateSelection;
    const chosen = key && selections.get(key);
    if (chosen) Object.assign(event.detail.parameters, chosen);
  });

  // Validation errors (422) replace the block with the form and its messages; other
  // refusals (403, 413, 429...) show their message in the block's status line.
  document.addEventListener("htmx:beforeSwap", (event) => {
    const block = event.detail.elt.closest?.(".annotations");
    const status = event.detail.xhr.status;
    if (!block || status < 400) return;
    event.detail.shouldSwap = true;
    event.detail.isError = false;
    if (status !== 422) {
      event.detail.target = block.querySelector(".annotations__status");
      event.detail.swapOverride = "innerHTML";
    }
  });
})();
