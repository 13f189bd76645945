/* openness-graph: a YASR plugin that shows SELECT results as a Vega-Lite chart.
 *
 * Why: a count per tier or per class reads better as bars than as a table (issue 11). The chart
 * is drawn in the browser by Vega-Lite, bundled under /static/vendor/vega (no CDN).
 *
 * How the encoding is chosen (a person can change it with the selects above the chart):
 *   - x: the first column that is not a number (IRIs shown by their local name), else the first;
 *   - y: the first numeric column other than x; with none, the number of rows per x value;
 *   - mark: bars when x is a category, points when x is a number too.
 * The choice is kept in YASR's plugin settings, so YASGUI's share link (outputFormat=chart,
 * outputSettings=...) restores the chart as it was.
 */
(function () {
  "use strict";

  var NUMERIC = /#(integer|decimal|double|float|int|long|short|byte|nonNegativeInteger|positiveInteger|negativeInteger|nonPositiveInteger|unsignedInt|unsignedLong|unsignedShort|unsignedByte)$/;
  var MARKS = ["bar", "line", "point", "arc"];

  function localName(iri) {
    var cut = Math.max(iri.lastIndexOf("#"), iri.lastIndexOf("/"));
    return cut >= 0 && cut < iri.length - 1 ? decodeURIComponent(iri.slice(cut + 1)) : iri;
  }

  function cellValue(binding) {
    if (!binding) { return null; }
    if (binding.type === "literal" || binding.type === "typed-literal") {
      if (binding.datatype && NUMERIC.test(binding.datatype)) { return Number(binding.value); }
      return binding.value;
    }
    if (binding.type === "uri") { return localName(binding.value); }
    return binding.value;
  }

  function isNumericColumn(bindings, variable) {
    var seen = false;
    for (var i = 0; i < bindings.length; i++) {
      var b = bindings[i][variable];
      if (!b) { continue; }
      if (!(b.datatype && NUMERIC.test(b.datatype))) { return false; }
      seen = true;
    }
    return seen;
  }

  /** The encoding to use when nobody chose one (see the header comment). */
  function defaults(variables, bindings) {
    var numeric = variables.filter(function (v) { return isNumericColumn(bindings, v); });
    var x = variables.find(function (v) { return numeric.indexOf(v) < 0; }) || variables[0];
    var y = numeric.find(function (v) { return v !== x; }) || "";
    var mark = numeric.indexOf(x) >= 0 && y ? "point" : "bar";
    return { x: x, y: y, mark: mark };
  }

  /** The Vega-Lite spec for rows, an encoding and the column types. */
  function spec(rows, config, xNumeric) {
    var y = config.y
      ? { field: config.y, type: "quantitative", title: config.y }
      : { aggregate: "count", type: "quantitative", title: "rows" };
    var x = { field: config.x, type: xNumeric ? "quantitative" : "nominal", title: config.x };
    if (!xNumeric) { x.sort = null; x.axis = { labelLimit: 220 }; }  // the query's ORDER BY
    var out = {
      $schema: "https://vega.github.io/schema/vega-lite/v6.json",
      data: { values: rows },
      mark: { type: config.mark, tooltip: true },
      width: "container",
      height: 320
    };
    if (config.mark === "arc") {
      out.encoding = { theta: y, color: { field: config.x, type: "nominal", title: config.x } };
    } else if (config.mark === "bar" && !xNumeric) {
      // long category names read better down the side than slanted along the bottom
      out.encoding = { y: x, x: y };
      out.height = { step: 18 };
    } else {
      out.encoding = { x: x, y: y };
    }
    return out;
  }

  function select(label, name, options, value, onChange) {
    var wrap = document.createElement("label");
    wrap.className = "chart-control";
    wrap.appendChild(document.createTextNode(label + " "));
    var el = document.createElement("select");
    el.name = name;
    options.forEach(function (o) {
      var opt = document.createElement("option");
      opt.value = o.value;
      opt.textContent = o.text;
      if (o.value === value) { opt.selected = true; }
      el.appendChild(opt);
    });
    el.addEventListener("change", function () { onChange(el.value); });
    wrap.appendChild(el);
    return wrap;
  }

  function ChartPlugin(yasr) {
    this.yasr = yasr;
    this.priority = 5;
    this.label = "Chart";
    this.helpReference = "https://vega.github.io/vega-lite/";
    this.persistentConfig = {};
  }

  ChartPlugin.prototype.canHandleResults = function () {
    var r = this.yasr.results;
    return !!(r && r.getVariables && r.getVariables() && r.getVariables().length > 0 && r.getBindings());
  };

  ChartPlugin.prototype.getIcon = function () {
    // three bars, drawn inline (no icon font, no emoji font needed)
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 16 16");
    svg.setAttribute("width", "14");
    svg.setAttribute("height", "14");
    svg.setAttribute("aria-hidden", "true");
    [[1, 9, 4, 7], [6, 4, 4, 12], [11, 1, 4, 15]].forEach(function (r) {
      var rect = document.createElementNS(ns, "rect");
      rect.setAttribute("x", r[0]); rect.setAttribute("y", r[1]);
      rect.setAttribute("width", r[2]); rect.setAttribute("height", r[3]);
      rect.setAttribute("fill", "currentColor");
      svg.appendChild(rect);
    });
    return svg;
  };

  ChartPlugin.prototype.draw = function (persistentConfig) {
    var self = this;
    var variables = this.yasr.results.getVariables();
    var bindings = this.yasr.results.getBindings() || [];
    var base = defaults(variables, bindings);
    var stored = persistentConfig || {};
    var config = {
      x: variables.indexOf(stored.x) >= 0 ? stored.x : base.x,
      y: stored.y === "" || variables.indexOf(stored.y) >= 0 ? stored.y : base.y,
      mark: MARKS.indexOf(stored.mark) >= 0 ? stored.mark : base.mark
    };
    if (stored.y === undefined) { config.y = base.y; }
    this.persistentConfig = config;

    var rows = bindings.map(function (b) {
      var row = {};
      variables.forEach(function (v) { row[v] = cellValue(b[v]); });
      return row;
    });
    var root = document.createElement("div");
    root.className = "openness-chart";
    var controls = document.createElement("div");
    controls.className = "chart-controls";
    var redraw = function (key) {
      return function (value) {
        self.persistentConfig[key] = value;
        self.yasr.storePluginConfig("chart", self.persistentConfig);
        self.yasr.draw();
      };
    };
    var columns = variables.map(function (v) { return { value: v, text: v }; });
    controls.appendChild(select("x", "chart-x", columns, config.x, redraw("x")));
    controls.appendChild(select("y", "chart-y", [{ value: "", text: "number of rows" }].concat(columns),
      config.y, redraw("y")));
    controls.appendChild(select("mark", "chart-mark", MARKS.map(function (m) { return { value: m, text: m }; }),
      config.mark, redraw("mark")));
    root.appendChild(controls);
    var view = document.createElement("div");
    view.className = "chart-view";
    view.style.width = "100%";
    root.appendChild(view);
    this.yasr.resultsEl.appendChild(root);
    var shown = rows.length > 2000 ? rows.slice(0, 2000) : rows;
    if (shown.length < rows.length) {
      var note = document.createElement("p");
      note.className = "note";
      note.textContent = "Showing the first 2,000 of " + rows.length + " rows.";
      root.insertBefore(note, view);
    }
    var xNumeric = isNumericColumn(bindings, config.x);
    return window.vegaEmbed(view, spec(shown, config, xNumeric), {
      actions: { export: true, source: false, compiled: false, editor: false },
      renderer: "svg"
    }).then(function (result) {
      self.view = result.view;
      root.setAttribute("data-rendered", "true");
    });
  };

  ChartPlugin.prototype.download = function () {
    var view = this.view;
    if (!view) { return undefined; }
    return {
      getData: function () { return view.toSVG(); },
      contentType: "image/svg+xml",
      title: "Download the chart (SVG)",
      filename: "query-chart.svg"
    };
  };

  ChartPlugin.prototype.destroy = function () {
    if (this.view) { this.view.finalize(); this.view = undefined; }
  };

  window.OpennessChartPlugin = ChartPlugin;
  if (window.Yasgui && window.Yasgui.Yasr) {
    window.Yasgui.Yasr.registerPlugin("chart", ChartPlugin);
  }
})();
