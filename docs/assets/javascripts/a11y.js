/*
 * Accessibility gaps in Material for MkDocs' own markup, mended in one place.
 *
 * 1. The light/dark/system toggle is a set of visually hidden radio inputs behind
 *    labels; the focus lands on an invisible input named after the *next* scheme, and
 *    the labels themselves cannot be focused. A real button stands in for the labels:
 *    focusable, named by the label's title, operated by Enter or Space, and it keeps
 *    focus after the scheme changes.
 * 2. The search dialog and the primary navigation get names of their own, so screen
 *    readers can tell the landmarks apart (axe: aria-dialog-name, landmark-unique).
 * 3. The skip link moves the keyboard focus to the content. Material's instant navigation
 *    fetched the page again on activating it and replaced the article, which sent the
 *    focus back to the top of the page; the link is handled here, before Material sees it.
 */
(function () {
  "use strict";

  function palette() {
    var form = document.querySelector("form[data-md-component=palette]");
    if (!form || form.classList.contains("hb-palette-ready")) return;
    var labels = Array.prototype.slice.call(form.querySelectorAll("label"));
    if (!labels.length) return;
    form.querySelectorAll("input.md-option").forEach(function (input) {
      input.tabIndex = -1;
      input.setAttribute("aria-hidden", "true");
    });
    var button = document.createElement("button");
    button.type = "button";
    button.className = "md-header__button md-icon hb-palette";
    function sync() {
      var shown = labels.filter(function (label) { return !label.hidden; })[0] || labels[0];
      button.innerHTML = shown.innerHTML;
      button.title = shown.title;
      button.setAttribute("aria-label", shown.title);
    }
    button.addEventListener("click", function () {
      var shown = labels.filter(function (label) { return !label.hidden; })[0];
      if (shown) shown.click();
    });
    // Material focuses the hidden radio input it switched to; send focus back to the button.
    form.querySelectorAll("input.md-option").forEach(function (input) {
      input.addEventListener("focus", function () { button.focus(); });
    });
    // Material shows the next label once the scheme has changed; follow it.
    var observer = new MutationObserver(sync);
    labels.forEach(function (label) { observer.observe(label, { attributes: true, attributeFilter: ["hidden"] }); });
    // Beside the form, not in it: Material's own Enter handler on the form would step twice.
    form.parentNode.insertBefore(button, form.nextSibling);
    form.classList.add("hb-palette-ready");
    sync();
  }

  function names() {
    var search = document.querySelector(".md-search[role=dialog]");
    if (search && !search.hasAttribute("aria-label")) search.setAttribute("aria-label", "Search the handbook");
    var primary = document.querySelector("nav.md-nav--primary");
    if (primary) primary.setAttribute("aria-label", "Site navigation");
  }

  window.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a.md-skip") : null;
    var target = link ? document.getElementById(decodeURIComponent(link.hash.slice(1))) : null;
    if (!target) return;
    event.preventDefault();
    event.stopPropagation();
    if (location.hash !== link.hash) history.pushState(null, "", link.hash);
    if (!target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
    target.focus();
  }, true);

  function enhance() { palette(); names(); }
  if (window.document$) window.document$.subscribe(enhance); else document.addEventListener("DOMContentLoaded", enhance);
})();
