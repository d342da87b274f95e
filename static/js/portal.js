// Starts GOV.UK Frontend's components (error summary focus, service navigation menu, tabs,
// details, notification banners, ...). A module script: under the Content-Security-Policy
// nothing runs inline, so the "supported" class GOV.UK's own page template sets inline is set here.
import { initAll } from "../vendor/govuk-frontend-6.6.0/govuk-frontend.min.js";
import { enhanceAutocompletes } from "./autocomplete.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();
enhanceAutocompletes();

// htmx swaps in new page parts: start the components inside them too.
document.body.addEventListener("htmx:afterSwap", (event) => {
  initAll({ scope: event.target });
  enhanceAutocompletes(); // the whole page: each select is enhanced once
});

// Upload forms: sent once (a second click or Enter does nothing), the button disabled, and a
// status that says the file is being checked while the next page is on its way.
for (const form of document.querySelectorAll("form[data-upload-form]")) {
  form.addEventListener("submit", (event) => {
    if (form.dataset.submitting === "true") {
      event.preventDefault();
      return;
    }
    form.dataset.submitting = "true";
    const button = form.querySelector('button[type="submit"]');
    // Disabled once this submit has started (a button disabled before it would stop it).
    window.setTimeout(() => {
      if (button) {
        button.disabled = true;
        button.setAttribute("aria-disabled", "true");
      }
    }, 0);
    const status = form.querySelector("[data-upload-status]");
    if (status) {
      status.textContent = "Checking your file… this can take a few seconds. Please wait.";
    }
  });
}
