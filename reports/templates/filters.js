(function () {
  "use strict";
  var form = document.getElementById("filters");
  if (!form) { return; }
  form.hidden = false;
  var sections = Array.prototype.slice.call(document.querySelectorAll("[data-fact]"));
  var cards = Array.prototype.slice.call(document.querySelectorAll("[data-card]"));
  var rows = Array.prototype.slice.call(document.querySelectorAll("[data-glance]"));
  var counter = document.getElementById("filter-count");
  function value(name) {
    var el = form.elements.namedItem(name);
    return el ? String(el.value || "") : "";
  }
  function has(el, attr, wanted) {
    return !wanted || el.getAttribute(attr) === wanted;
  }
  function apply() {
    var kind = value("kind"), verdict = value("verdict"), state = value("state"), review = value("review");
    var q = value("q").trim().toLowerCase();
    var reviewActive = state !== "" || review !== "";
    var shownCards = 0, shownFacts = 0;
    var sectionHit = new Map();
    sections.forEach(function (sec) {
      sectionHit.set(sec, !q || (sec.getAttribute("data-search") || "").indexOf(q) >= 0);
    });
    var anyShown = new Map();
    cards.forEach(function (card) {
      var sec = card.closest("[data-fact]");
      var text = (card.getAttribute("data-search") || "").indexOf(q) >= 0;
      var show = has(card, "data-kind", kind) && has(card, "data-verdict", verdict) &&
        has(card, "data-state", state) && has(card, "data-review", review) &&
        (!q || text || (sec !== null && sectionHit.get(sec)));
      card.hidden = !show;
      if (show) {
        shownCards += 1;
        if (sec !== null) { anyShown.set(sec, true); }
      }
    });
    sections.forEach(function (sec) {
      var any = anyShown.get(sec) === true;
      var show = has(sec, "data-kind", kind) && has(sec, "data-verdict", verdict) &&
        (reviewActive ? any : (!q || sectionHit.get(sec) || any));
      sec.hidden = !show;
      if (show) { shownFacts += 1; }
    });
    rows.forEach(function (row) {
      var target = document.getElementById(row.getAttribute("data-glance"));
      row.hidden = target !== null && target.hidden;
    });
    if (counter !== null) {
      var parts = [];
      if (sections.length) { parts.push(shownFacts + " of " + sections.length + " facts"); }
      parts.push(shownCards + " of " + cards.length + " discrepancies");
      counter.textContent = "Showing " + parts.join(" \u00b7 ");
    }
  }
  form.addEventListener("input", apply);
  form.addEventListener("change", apply);
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  form.addEventListener("reset", function () { window.setTimeout(apply, 0); });
  apply();
}());
