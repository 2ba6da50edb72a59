/* Draw each chart when it comes near the screen, loading the Vega bundle (300 KB compressed)
   only then: a chapter holds a dozen charts, and parsing the bundle and drawing them all at load
   kept a phone busy for seconds before the reader scrolled to any. Printing draws them all. */
(function () {
  "use strict";
  var options = { actions: false, renderer: "svg" };
  var bundle = document.currentScript.dataset.vega;
  var loading = null;
  function vega() {
    if (!loading) {
      loading = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = bundle;
        script.onload = resolve;
        script.onerror = function () { reject(new Error("could not load " + bundle)); };
        document.head.appendChild(script);
      });
    }
    return loading;
  }
  function draw(chart) {
    if (chart.dataset.drawn) return;
    chart.dataset.drawn = "1";
    var spec = document.querySelector('script.aibet-spec[data-for="' + chart.id + '"]');
    vega().then(function () {
      return window.vegaEmbed("#" + chart.id, JSON.parse(spec.textContent), options);
    }).then(function () {
      chart.style.minHeight = "0";  // drawn: its own height, not the placeholder's
    }).catch(function (e) { console.error(e); });
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
  }, { rootMargin: "200px 0px" });
  charts.forEach(function (chart) { watcher.observe(chart); });
})();
