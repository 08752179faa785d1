// The HTML report's script: draws the two ECharts options and lists the files under a clicked tile.
// Names from reports only ever reach the page as text nodes (textContent), never as HTML.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("depreport-data").textContent);

  // A printf-style number format ("%.1f%%", "%,d imports"), as st.echarts_chart accepts in a tooltip's
  // valueFormatter, turned into the function ECharts expects.
  function numberFormat(spec) {
    return function (value) {
      if (typeof value !== "number") return value === null || value === undefined ? "-" : String(value);
      return spec.replace(/%%|%(,?)(?:\.(\d+))?([df])/g, function (token, comma, digits, kind) {
        if (token === "%%") return "%";
        var places = kind === "d" ? 0 : (digits === undefined ? 6 : Number(digits));
        var shown = value.toFixed(places);
        if (!comma) return shown;
        var parts = shown.split(".");
        parts[0] = parts[0].replace(/\B(?=(\d{3})+(?!\d))/g, ",");
        return parts.join(".");
      });
    };
  }

  function withFormatters(node) {
    if (Array.isArray(node)) return node.map(withFormatters);
    if (node === null || typeof node !== "object") return node;
    var copy = {};
    Object.keys(node).forEach(function (key) {
      var value = node[key];
      if (key === "tooltip" && value && typeof value.valueFormatter === "string") {
        value = Object.assign({}, value, { valueFormatter: numberFormat(value.valueFormatter) });
      }
      copy[key] = withFormatters(value);
    });
    return copy;
  }

  function draw(id, option) {
    var element = document.getElementById(id);
    if (!element || !option) return null;
    var chart = echarts.init(element, null, { renderer: "svg" });
    chart.setOption(withFormatters(option));
    window.addEventListener("resize", function () { chart.resize(); });
    return chart;
  }

  function add(parent, tag, text, className) {
    var element = document.createElement(tag);
    if (text !== undefined && text !== null) element.textContent = text;
    if (className) element.className = className;
    parent.appendChild(element);
    return element;
  }

  function safeUrl(url) {
    return typeof url === "string" && /^https?:\/\//.test(url) ? url : null;
  }

  function link(parent, text, url, className) {
    var href = safeUrl(url);
    var element = add(parent, href ? "a" : "span", text, className);
    if (href) {
      element.href = href;
      element.target = "_blank";
      element.rel = "noopener noreferrer";
    }
    return element;
  }

  function title(path) {
    if (path.length >= 3) return ["Files importing ", path[2], " from ", path[1]];
    if (path.length === 2) return ["Files importing ", path[1]];
    return ["Files importing group ", path[0]];
  }

  // A file's link at a line: its parts are [before, after] the line number, [url] or [] (no links).
  function lineUrl(parts, line) {
    if (parts.length === 2) return parts[0] + line + parts[1];
    return parts.length === 1 ? parts[0] : null;
  }

  function showFiles(id) {
    var tile = data.files.tiles[id];
    var panel = document.getElementById("files");
    if (!tile || !panel) return;
    panel.textContent = "";
    var heading = add(panel, "h3");
    title(tile.path).forEach(function (part, index) { add(heading, index % 2 ? "code" : "span", part); });
    add(panel, "p", tile.count + (tile.count === 1 ? " file, " : " files, ") + tile.imports +
        (tile.imports === 1 ? " import line" : " import lines"), "note");
    var entries = tile.files.map(function (entry) {
      var file = data.files.files[entry[0]];
      return { repo: file[0], path: file[1], parts: file[2], lines: entry[1], components: entry[2] };
    });
    var several = new Set(entries.map(function (entry) { return entry.repo; })).size > 1;
    var list = add(panel, "ul");
    entries.forEach(function (entry) {
      var item = add(list, "li");
      if (several) add(item, "code", entry.repo + " · ", "where");
      link(add(item, "code"), entry.path, lineUrl(entry.parts, entry.lines[0]), "path");
      add(item, "span", entry.lines.length === 1 ? " — line " : " — lines ");
      entry.lines.forEach(function (line, index) {
        if (index) add(item, "span", ", ");
        link(item, String(line), lineUrl(entry.parts, line));
      });
      if (entry.components.length) {
        add(item, "span", " — ");
        entry.components.forEach(function (name, index) {
          if (index) add(item, "span", ", ");
          add(item, "code", name);
        });
      }
    });
    if (tile.count > entries.length) {
      add(panel, "p", "… and " + (tile.count - entries.length) + " more files", "note");
    }
  }

  // A component's props beside its files: instances, then one row per prop with its values.
  function showProps(id) {
    var panel = document.getElementById("props");
    if (!panel) return;
    panel.textContent = "";
    var tile = data.files.tiles[id];
    if (!tile || tile.path.length < 3) return;
    var props = (data.props || {})[id];
    var heading = add(panel, "h3", "Props of ");
    add(heading, "code", tile.path[2]);
    if (!props) {
      add(panel, "p", "No instance: imported but never rendered as an element.", "note");
      return;
    }
    add(panel, "p", props.instances + (props.instances === 1 ? " instance in " : " instances in ") +
        props.files + (props.files === 1 ? " file" : " files"), "note");
    var members = Object.keys(props.members || {});
    if (members.length) {
      add(panel, "p", "Sub-components (lines rendering them): " + members.map(function (name) {
        return name + " " + props.members[name];
      }).join(", "), "note members");
    }
    if (!props.rows.length) {
      add(panel, "p", "No instance passes a prop.", "note");
      return;
    }
    var table = add(add(panel, "div", null, "scroll"), "table");
    var head = add(add(table, "thead"), "tr");
    ["prop", "passed", "not set", "values"].forEach(function (name, index) {
      add(head, "th", name, index === 1 || index === 2 ? "num" : "");
    });
    var body = add(table, "tbody");
    props.rows.forEach(function (row) {
      var line = add(body, "tr");
      add(line, "td", row[0]);
      add(line, "td", String(row[1]), "num");
      add(line, "td", String(row[2]), "num");
      var values = Object.keys(row[3]).map(function (value) { return value + " " + row[3][value]; });
      add(line, "td", values.join(", "), "values");
    });
  }

  draw("trend", data.trend);
  var treemap = draw("treemap", data.treemap);
  if (treemap) {
    treemap.on("click", function (params) {
      if (params.data && params.data.id) {
        showFiles(params.data.id);
        showProps(params.data.id);
      }
    });
    document.querySelectorAll('input[name="treemap-size"]').forEach(function (input) {
      input.addEventListener("change", function () {
        var option = input.value === "instances" ? data.byInstances : data.treemap;
        if (option) treemap.setOption(withFormatters(option), true);
      });
    });
  }
})();
