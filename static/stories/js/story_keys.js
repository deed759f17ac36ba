// Arrow keys step through a story by following its Previous/Next links, which work
// alone without this script (and through htmx when it is there).
document.addEventListener("keydown", (event) => {
  if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
  if (event.target.closest && event.target.closest("input, textarea, select, [contenteditable]")) return;
  const selector = { ArrowRight: "[data-story-next]", ArrowLeft: "[data-story-prev]" }[event.key];
  const link = selector && document.querySelector(selector);
  if (link) {
    event.preventDefault();
    link.click();
  }
});
