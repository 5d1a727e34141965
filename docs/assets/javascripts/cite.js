/*
 * "Cite this page" and "Reuse this page": copy buttons. The buttons are hidden in the HTML and shown here, so a
 * reader without JavaScript sees the citations as text to select, not buttons that fail.
 * Copies the citation as formatted text (italics kept where the target accepts it) and
 * as plain text, and says so in a live region for screen readers.
 */
(function () {
  "use strict";

  function enhance() {
    document.querySelectorAll(".hb-copy[hidden]").forEach(function (button) { button.hidden = false; });
  }

  function announce(box, message) {
    var status = box && box.querySelector(".hb-copy-status");
    if (status) {
      status.textContent = "";
      window.setTimeout(function () { status.textContent = message; }, 50);
    }
  }

  function fallbackCopy(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed"; area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    var ok = false;
    try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
    document.body.removeChild(area);
    return ok ? Promise.resolve() : Promise.reject(new Error("copy failed"));
  }

  function copy(source) {
    var plain = source.getAttribute("data-plain") || source.textContent;
    if (navigator.clipboard && window.ClipboardItem && window.isSecureContext) {
      var item = new ClipboardItem({
        "text/plain": new Blob([plain], { type: "text/plain" }),
        "text/html": new Blob([source.innerHTML], { type: "text/html" })
      });
      return navigator.clipboard.write([item]).catch(function () { return navigator.clipboard.writeText(plain); });
    }
    if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(plain);
    return fallbackCopy(plain);
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest(".hb-copy");
    if (!button) return;
    var source = document.getElementById(button.getAttribute("data-copy"));
    var box = button.closest(".hb-cite-box");
    var label = document.getElementById(button.getAttribute("aria-describedby"));
    var name = label ? label.textContent.trim() : "Citation";
    var done = button.getAttribute("data-copied") || name + " citation copied to the clipboard.";
    copy(source).then(function () {
      button.textContent = "Copied";
      announce(box, done);
      window.setTimeout(function () { button.textContent = "Copy"; }, 2000);
    }, function () {
      announce(box, button.hasAttribute("data-copied") ? "Could not copy. Select the text and copy it by hand."
        : "Could not copy. Select the " + name + " citation and copy it by hand.");
    });
  });

  if (window.document$) window.document$.subscribe(enhance); else document.addEventListener("DOMContentLoaded", enhance);
})();
