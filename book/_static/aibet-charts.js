/* Draw each chart when it comes near the screen: a chapter holds a dozen charts, and drawing
   them all at load kept a phone busy for seconds. Printing draws them all first. */
(function () {
  "use strict";
  var options = { actions: false, renderer: "svg" };
  function draw(chart) {
    if (chart.dataset.drawn) return;
    chart.dataset.drawn = "1";
    var spec = document.querySelector('script.aibet-spec[data-for="' + chart.id + '"]');
    window.vegaEmbed("#" + chart.id, JSON.parse(spec.textContent), options).catch(function (e) {
      console.error(e);
    });
  }
  var charts = Array.prototype.slice.call(document.querySelectorAll(".aibet-chart"));
  function drawAll() { charts.forEach(draw); }
  window.aibetDrawAll = drawAll;
  window.addEventListener("beforeprint", drawAll);
  if (!("IntersectionObserver" in window)) { drawAll(); return; }
  var watcher = new IntersectionObserver(function (entries) {
    entries.forEach(function (entry) {
      if (entry.isIntersecting) { watcher.unobserve(entry.target); draw(entry.target); }
    });
  }, { rootMargin: "600px 0px" });
  charts.forEach(function (chart) { watcher.observe(chart); });
})();
