// Progressive enhancement of long drop-downs (choosing a local authority or a person): GOV.UK's
// accessible-autocomplete (static/vendor/accessible-autocomplete-*, `make accessible-autocomplete`)
// turns each <select data-autocomplete> into a text box that suggests as you type. Without
// JavaScript, or before the library has loaded, the plain <select> works and is what is posted:
// the text box only chooses the select's option.
//
// The library (a classic script) and its CSS are loaded only on pages that have such a select;
// their addresses come from <body data-autocomplete-js data-autocomplete-css> (base.html), so
// they follow the static files' hashed names in production.

function load(body) {
  if (window.accessibleAutocomplete) return Promise.resolve(window.accessibleAutocomplete);
  return new Promise((resolve, reject) => {
    const css = document.createElement("link");
    css.rel = "stylesheet";
    css.href = body.dataset.autocompleteCss;
    document.head.appendChild(css);
    const script = document.createElement("script");
    script.src = body.dataset.autocompleteJs;
    script.onload = () => resolve(window.accessibleAutocomplete);
    script.onerror = reject;
    document.head.appendChild(script);
  });
}

function optionText(option) {
  return (option.textContent || "").trim();
}

function enhance(autocomplete, select) {
  if (select.dataset.autocompleteDone) return;
  select.dataset.autocompleteDone = "true";
  const hasError = /--error\b/.test(select.className);
  const describedBy = select.getAttribute("aria-describedby");
  autocomplete.enhanceSelectElement({
    selectElement: select,
    defaultValue: "",
    showAllValues: true,
    confirmOnBlur: false,
    inputClasses: hasError ? "govuk-input--error" : null,
    tNoResults: () => "No results found",
    onConfirm: (chosen) => {
      const match = [...select.options].find((o) => o.value && optionText(o) === chosen);
      if (match) select.value = match.value;
    },
  });
  const input = document.getElementById(select.id.replace(/-select$/, ""));
  if (!input) return;
  if (describedBy) {
    const own = input.getAttribute("aria-describedby");
    input.setAttribute("aria-describedby", own ? `${own} ${describedBy}` : describedBy);
  }
  // What was typed decides what is posted: an exact name chooses it, anything else (or
  // nothing) leaves the choice empty, so the form says "Choose ..." instead of keeping an old one.
  input.form?.addEventListener("submit", () => {
    const typed = input.value.trim().toLowerCase();
    const match = [...select.options].find((o) => o.value && optionText(o).toLowerCase() === typed);
    select.value = match ? match.value : "";
  });
}

export function enhanceAutocompletes(scope = document) {
  const selects = scope.querySelectorAll("select[data-autocomplete]");
  if (!selects.length) return;
  load(document.body)
    .then((autocomplete) => selects.forEach((select) => enhance(autocomplete, select)))
    .catch(() => {}); // the plain <select> stays
}
