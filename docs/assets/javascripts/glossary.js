/*
 * Glossary definitions in place (WCAG 2.2, success criterion 1.4.13).
 *
 * Each term link (a.hb-term) is described, through aria-describedby, by a definition
 * generated at the end of the page (span.hb-tip in div.hb-defs). This script shows that
 * definition next to the link on hover and on keyboard focus, keeps it open while the
 * pointer moves onto it, closes it with Escape, and opens it with a first tap on a touch
 * screen (a second tap follows the link). Without JavaScript the link leads to the entry.
 * Event delegation keeps it working across Material's instant navigation.
 */
(function () {
  "use strict";
  var openTip = null, openLink = null, closeTimer = null, lastPointer = "mouse", openBeforeTap = false;

  function tipFor(link) {
    var id = link.getAttribute("aria-describedby");
    return id ? document.getElementById(id) : null;
  }

  function position(link, tip) {
    var box = tip.offsetParent || document.body;
    var frame = box.getBoundingClientRect();
    var rect = link.getBoundingClientRect();
    var width = Math.min(352, frame.width - 16);
    tip.style.maxWidth = width + "px";
    var left = rect.left - frame.left;
    if (left + tip.offsetWidth > frame.width - 8) left = Math.max(8, frame.width - tip.offsetWidth - 8);
    var below = rect.bottom - frame.top + 6;
    var above = rect.top - frame.top - tip.offsetHeight - 6;
    var fitsBelow = rect.bottom + tip.offsetHeight + 12 < window.innerHeight;
    tip.style.left = left + "px";
    tip.style.top = (fitsBelow || above < 0 ? below : above) + "px";
  }

  function open(link) {
    var tip = tipFor(link);
    if (!tip) return;
    cancelClose();
    if (openTip && openTip !== tip) close();
    var defs = tip.closest(".hb-defs");
    if (defs) defs.hidden = false;
    var more = tip.querySelector(".hb-tip__more");
    if (more) more.href = link.href;
    tip.classList.add("is-open");
    openTip = tip; openLink = link;
    link.setAttribute("aria-expanded", "true");
    position(link, tip);
  }

  function close() {
    cancelClose();
    if (openTip) openTip.classList.remove("is-open");
    if (openLink) openLink.removeAttribute("aria-expanded");
    openTip = null; openLink = null;
  }

  function scheduleClose() {
    cancelClose();
    closeTimer = window.setTimeout(close, 300);
  }

  function cancelClose() {
    if (closeTimer) window.clearTimeout(closeTimer);
    closeTimer = null;
  }

  function termLink(target) {
    return target && target.closest ? target.closest("a.hb-term") : null;
  }

  document.addEventListener("pointerdown", function (event) {
    lastPointer = event.pointerType || "mouse";
    // Was this term's definition already showing before this tap (the tap itself focuses the link)?
    openBeforeTap = !!openLink && openLink === termLink(event.target);
  }, true);

  document.addEventListener("mouseover", function (event) {
    var link = termLink(event.target);
    if (link && lastPointer !== "touch") { open(link); return; }
    if (openTip && event.target.closest && event.target.closest(".hb-tip") === openTip) cancelClose();
  });

  document.addEventListener("mouseout", function (event) {
    if (!openTip || lastPointer === "touch") return;
    var from = event.target, to = event.relatedTarget;
    var leaving = termLink(from) === openLink || (from.closest && from.closest(".hb-tip") === openTip);
    var staying = to && ((to.closest && to.closest(".hb-tip") === openTip) || termLink(to) === openLink);
    if (leaving && !staying && document.activeElement !== openLink) scheduleClose();
  });

  document.addEventListener("focusin", function (event) {
    var link = termLink(event.target);
    if (link) open(link);
  });

  document.addEventListener("focusout", function (event) {
    if (termLink(event.target) === openLink) scheduleClose();
  });

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && openTip) {
      close();
      event.stopPropagation();
    }
  }, true);

  // Capture on window, before Material's instant navigation sees the click.
  window.addEventListener("click", function (event) {
    var link = termLink(event.target);
    if (link && lastPointer === "touch" && !openBeforeTap) {
      event.preventDefault();  // first tap shows the definition; a second tap follows the link
      event.stopPropagation();
      open(link);
      return;
    }
    if (openTip && !link && !(event.target.closest && event.target.closest(".hb-tip"))) close();
  }, true);

  window.addEventListener("resize", function () { if (openLink) position(openLink, openTip); });
  if (window.document$) window.document$.subscribe(close);  // Material's instant navigation
})();
