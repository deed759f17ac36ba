// Admin: name each autocomplete box after its field's label. Select2 names its
// combobox after the chosen value only, so an empty box had no name at all.
function nameAutocompletes(root) {
  root.querySelectorAll("select.admin-autocomplete").forEach((select) => {
    const label = document.querySelector(`label[for="${select.id}"]`);
    const combobox = select.nextElementSibling?.querySelector("[role=combobox]");
    if (!label || !combobox) return;
    label.id ||= `${select.id}-label`;
    const value = combobox.getAttribute("aria-labelledby")?.split(" ").pop() ?? "";
    combobox.setAttribute("aria-labelledby", `${label.id} ${value}`.trim());
    // Its inner "textbox" only shows the value, which the combobox's name now reads.
    const shown = document.getElementById(value);
    shown?.removeAttribute("role");
    shown?.removeAttribute("aria-readonly");
  });
  // The search icons of the filterable lists carry a label: give them a role that may.
  root.querySelectorAll("span.search-label-icon[aria-label]").forEach((icon) => {
    icon.setAttribute("role", "img");
  });
}
// Select2 starts in a jQuery ready handler (which may run after "load"): queue behind it.
window.addEventListener("load", () => nameAutocompletes(document));
window.django?.jQuery?.(() => nameAutocompletes(document));
document.addEventListener("formset:added", (event) => nameAutocompletes(event.target));
