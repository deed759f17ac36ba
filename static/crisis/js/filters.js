// Filter forms marked data-drop-empty send only the fields in use, so the URL htmx pushes
// reads like a hand-written one (?actor=olaf-scholz) rather than listing every empty field.
document.addEventListener("htmx:configRequest", (event) => {
  const form = event.detail.elt.closest("form[data-drop-empty]");
  if (!form || event.detail.verb !== "get") return;
  const params = event.detail.parameters;
  const empty = [...params.keys()].filter((name) => params.getAll(name).every((value) => value === ""));
  empty.forEach((name) => params.delete(name));
});
