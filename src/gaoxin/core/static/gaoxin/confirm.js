/* Forms with data-confirm="…" ask before they submit. Replaces inline
   onsubmit="return confirm(…)" handlers, which the Content-Security-Policy
   does not let run. Loaded once however many templates include it. */
(function () {
  if (window.gaoxinConfirm) { return; }
  window.gaoxinConfirm = true;
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form && form.hasAttribute && form.hasAttribute("data-confirm") &&
        !window.confirm(form.getAttribute("data-confirm"))) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);
})();
