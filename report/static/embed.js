// Draws every chart of the page: each <script class="chart-spec"> holds a Vega-Lite spec for the
// element named by its data-target. data-rendered tells the browser test when all are done.
(function () {
  var options = {renderer: "svg", actions: false};
  document.querySelectorAll("script.chart-spec").forEach(function (el) {
    var target = document.getElementById(el.getAttribute("data-target"));
    vegaEmbed(target, JSON.parse(el.textContent), options).then(function () {
      target.setAttribute("data-rendered", "true");
    }).catch(function (err) {
      console.error(err);
      target.textContent = "This chart could not be drawn: " + err;
      target.setAttribute("data-rendered", "error");
    });
  });
})();
