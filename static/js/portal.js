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
