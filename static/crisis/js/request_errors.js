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
