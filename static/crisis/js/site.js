// The site's one script of its own (beside htmx), on every page, so a first visit fetches
// one file: the notice when htmx gets no good answer, and the timeline's brush and
// pickers. Each part listens on the document and does nothing where its elements are absent.

// When htmx gets an error answer (a 503 while the database is busy, a 500) or no answer,
// it leaves the form as it was; this says so, so the reader knows nothing was saved.
document.addEventListener("htmx:responseError", function (event) {
  var status = event.detail.xhr.status;
  var busy = status === 503 || status === 429;
  var reading = event.detail.requestConfig && event.detail.requestConfig.verb === "get";
  var what = reading ? "The page was not updated" : "Nothing was saved";
  showRequestError(
    what + (busy ? ": the site is busy." : ": the server answered with an error (" + status + ").") +
      " Your input is still in the form; try again in a moment."
  );
});
document.addEventListener("htmx:sendError", function () {
  showRequestError("Nothing was sent: the site could not be reached. Your input is still in the form.");
});
document.addEventListener("htmx:beforeRequest", function () {
  var box = document.getElementById("request-error");
  if (box) box.hidden = true;
});
function showRequestError(text) {
  var box = document.getElementById("request-error");
  if (!box) return;
  box.textContent = text;
  box.hidden = false;
}

// The timeline's own few lines: a brush across the time axis fills From and To and
// submits the filter form (htmx does the rest), and the pickers' typed text is kept
// out of the filter requests, as their suggestions are chosen by ticking them.
(() => {
  const DAY = 86400000;

  function dateAt(svg, clientX) {
    const box = svg.getBoundingClientRect();
    const x = ((clientX - box.left) * svg.viewBox.baseVal.width) / box.width;
    const left = Number(svg.dataset.left);
    const right = Number(svg.dataset.right);
    const days = Number(svg.dataset.days);
    const share = Math.min(Math.max((x - left) / (right - left), 0), 0.999999);
    const start = Date.parse(`${svg.dataset.start}T00:00:00Z`);
    return { x: Math.min(Math.max(x, left), right), day: new Date(start + Math.floor(share * days) * DAY) };
  }

  document.addEventListener("pointerdown", (down) => {
    const svg = down.target.closest?.(".axis__svg");
    const form = document.getElementById("timeline-filters");
    if (!svg || !form || down.button !== 0 || down.pointerType === "touch") return;
    const band = svg.querySelector(".axis__brush");
    const from = dateAt(svg, down.clientX);
    let to = null;
    const move = (event) => {
      if (Math.abs(event.clientX - down.clientX) < 6) return;
      to = dateAt(svg, event.clientX);
      band.setAttribute("x", Math.min(from.x, to.x));
      band.setAttribute("width", Math.abs(to.x - from.x));
    };
    svg.addEventListener("pointermove", move);
    window.addEventListener("pointerup", () => {
      svg.removeEventListener("pointermove", move);
      if (!to) return;
      // A drag is not a click on the mark where it ended.
      svg.addEventListener("click", (click) => click.preventDefault(), { once: true, capture: true });
      const [first, last] = [from.day, to.day].sort((a, b) => a - b);
      form.elements.from.value = first.toISOString().slice(0, 10);
      form.elements.to.value = last.toISOString().slice(0, 10);
      form.requestSubmit();
    }, { once: true });
  });

  // Typing in a picker's finder (actors, countries, speakers) in any filter form asks
  // for suggestions, not for results; a suggestion ticked sends its value, so the half-typed text stays behind.
  // Enter sends it as typed.
  document.addEventListener("htmx:configRequest", (event) => {
    const form = event.detail.elt;
    if (!(form instanceof HTMLFormElement)) return;
    const trigger = event.detail.triggeringEvent;
    const finders = [...form.querySelectorAll("[data-finder]")].filter((finder) => finder.value);
    if (!finders.length || trigger?.type === "submit") return;
    if (finders.includes(trigger?.target)) {
      event.preventDefault();
      return;
    }
    const parameters = event.detail.parameters;
    finders.forEach((finder) => {
      const kept = parameters.getAll(finder.name).filter((value) => value !== finder.value);
      parameters.delete(finder.name);
      kept.forEach((value) => parameters.append(finder.name, value));
    });
  });
})();
