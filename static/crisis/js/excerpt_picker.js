// Source admin page: select a passage in the source text, then press the button to copy
// it into the first empty excerpt of the citation forms below (no retyping, no typos).
document.addEventListener("DOMContentLoaded", () => {
  const text = document.getElementById("id_text");
  const excerptFields = () =>
    [...document.querySelectorAll("textarea[id^='id_citations-'][id$='-excerpt']")]
      .filter((field) => !field.id.includes("__prefix__"));
  if (!text || excerptFields().length === 0 && !document.getElementById("citations-group")) return;
  const button = document.createElement("button");
  button.type = "button";
  button.className = "button";
  button.textContent = "Use the selected passage as an excerpt";
  const status = document.createElement("span");
  status.setAttribute("role", "status");
  text.after(button, status);
  button.addEventListener("click", () => {
    const passage = text.value.slice(text.selectionStart, text.selectionEnd).trim();
    if (!passage) {
      status.textContent = " Select a passage of the text first.";
      return;
    }
    const empty = excerptFields().find((field) => !field.value.trim());
    if (!empty) {
      status.textContent = " Press “Add another” below first, then try again.";
      return;
    }
    empty.value = passage;
    empty.focus();
    status.textContent = " Copied into the excerpt below; now pick its event or quote.";
  });
});
