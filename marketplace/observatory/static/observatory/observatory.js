/* The observatory's charts and map. Each table's chart data sits in a json_script element
   (presentation.chart_data): labels, one series for the figure the chart draws and, with the comparison
   on, one for the same figure a year before. Line charts for months, bars for the rest, and the map
   shades the municipalities' outlines (static GeoJSON, schematic) by the figure. Chart.js and Leaflet
   are served from our static files, never a CDN. The charts are pictures of the tables under them,
   which carry every figure for screen readers and keyboards. */
(function () {
    "use strict";
    var CURRENT = "#1f5f8b";
    var PREVIOUS = "#8a8f95";
    // Sequential blues (ColorBrewer "Blues"), light to dark; municipalities without guests stay grey.
    var SHADES = ["#c6dbef", "#9ecae1", "#6baed6", "#3182bd", "#08519c"];
    var NONE = "#eceff2";

    function formatter(locale, kind, compact) {
        var options = { maximumFractionDigits: kind === "int" ? 0 : 1 };
        if (kind === "money") {
            options = { style: "currency", currency: "EUR", maximumFractionDigits: 0 };
        }
        // Compact axis ticks keep one decimal, or 1,200 and 1,400 would both read "1K".
        if (compact) { options.notation = "compact"; options.maximumFractionDigits = 1; }
        var format = new Intl.NumberFormat(locale, options);
        return function (value) {
            if (value === null || value === undefined) { return "—"; }
            return kind === "percent" ? format.format(value) + " %" : format.format(value);
        };
    }

    function readData(id) {
        var node = document.getElementById(id);
        return node ? JSON.parse(node.textContent) : null;
    }

    function drawChart(canvas, data) {
        if (!window.Chart) { return; }
        var line = data.type === "line";
        var kind = data.series[0].kind;
        var axis = formatter(data.locale, kind, true);
        var full = formatter(data.locale, kind, false);
        // Bars of many or long names lie down, one line each, so every name stays readable.
        var longest = Math.max.apply(null, [0].concat(data.labels.map(function (l) { return String(l).length; })));
        var horizontal = !line && (data.labels.length > 6 || longest > 18);
        if (horizontal) {
            canvas.parentNode.style.height = Math.max(200, 26 * data.labels.length * data.series.length + 80) + "px";
        }
        var datasets = data.series.map(function (series) {
            var colour = series.previous ? PREVIOUS : CURRENT;
            return {
                label: series.label,
                data: series.values,
                borderColor: colour,
                backgroundColor: line ? colour : (series.previous ? "rgba(138,143,149,0.55)" : "rgba(31,95,139,0.85)"),
                borderWidth: line ? 2.5 : 0,
                borderDash: series.previous && line ? [6, 4] : [],
                pointRadius: line ? 3 : 0,
                cubicInterpolationMode: "monotone",  // no curve overshooting the figures
                fill: false
            };
        });
        var valueAxis = { beginAtZero: true, ticks: { callback: function (v) { return axis(v); } }, grid: { color: "#e3e7eb" } };
        var labelAxis = { grid: { display: false }, ticks: { autoSkip: true, maxRotation: 0 } };
        if (horizontal) {
            // Names at most ~40 % of the width (phones): cut with an ellipsis; the tooltip and table have them whole.
            var room = Math.max(10, Math.floor(canvas.parentNode.clientWidth / 16));
            labelAxis.ticks.callback = function (value) {
                var text = String(this.getLabelForValue(value));
                return text.length > room ? text.slice(0, room - 1) + "…" : text;
            };
        }
        canvas.chart = new window.Chart(canvas, {
            type: line ? "line" : "bar",
            data: { labels: data.labels, datasets: datasets },
            options: {
                responsive: true,
                maintainAspectRatio: false,
                animation: false,
                indexAxis: horizontal ? "y" : "x",
                interaction: { mode: "index", intersect: false },
                scales: horizontal ? { x: valueAxis, y: labelAxis } : { x: labelAxis, y: valueAxis },
                plugins: {
                    legend: { display: datasets.length > 1, labels: { boxWidth: 14 } },
                    tooltip: { callbacks: { label: function (item) { return item.dataset.label + ": " + full(item.raw); } } }
                }
            }
        });
        canvas.dataset.drawn = "1";
    }

    function classes(max) {
        // Five equal steps from 1 to the largest value, rounded so the legend reads well (none: all grey).
        if (!(max > 0)) { return []; }
        var step = Math.max(1, Math.ceil(max / SHADES.length));
        return SHADES.map(function (colour, i) {
            return { colour: colour, from: i * step + 1, to: i === SHADES.length - 1 ? Math.max(max, (i + 1) * step) : (i + 1) * step };
        });
    }

    function shade(value, steps) {
        if (!value || !steps.length) { return NONE; }
        for (var i = 0; i < steps.length; i++) {
            if (value <= steps[i].to) { return steps[i].colour; }
        }
        return steps[steps.length - 1].colour;
    }

    function legend(el, steps, format, title) {
        var list = document.createElement("ul");
        list.className = "obs-legend";
        var items = [{ colour: NONE, text: format(0) }].concat(steps.map(function (s) {
            return { colour: s.colour, text: s.from === s.to ? format(s.from) : format(s.from) + "–" + format(s.to) };
        }));
        var head = document.createElement("li");
        head.textContent = title + ":";
        list.appendChild(head);
        items.forEach(function (item) {
            var li = document.createElement("li");
            var swatch = document.createElement("span");
            swatch.className = "obs-legend__swatch";
            swatch.style.background = item.colour;
            li.appendChild(swatch);
            li.appendChild(document.createTextNode(item.text));
            list.appendChild(li);
        });
        el.parentNode.insertBefore(list, el.nextSibling);
    }

    function drawMap(el, data, geo) {
        if (!window.L) { return; }
        var series = data.series[0];
        var format = formatter(data.locale, series.kind, false);
        var values = {};
        var texts = {};
        data.codes.forEach(function (code, i) { values[code] = series.values[i] || 0; texts[code] = data.texts[i]; });
        var max = Math.max.apply(null, [0].concat(Object.keys(values).map(function (k) { return values[k]; })));
        var steps = classes(max);
        // One small map per area (the two areas are 100 km apart: one map would make both tiny); only the
        // areas with figures, or all of them when nothing was booked.
        var areas = [];
        geo.features.forEach(function (f) {
            if (areas.indexOf(f.properties.area) < 0) { areas.push(f.properties.area); }
        });
        var shown = areas.filter(function (area) {
            return geo.features.some(function (f) { return f.properties.area === area && values[f.properties.code]; });
        });
        var drawn = [];
        (shown.length ? shown : areas).forEach(function (area) {
            var features = geo.features.filter(function (f) { return f.properties.area === area; });
            var box = document.createElement("div");
            box.className = "obs-map__area";
            var name = document.createElement("p");
            name.className = "obs-map__name";
            name.textContent = geo.areas && geo.areas[area] ? geo.areas[area] : area;
            var canvas = document.createElement("div");
            canvas.className = "obs-map__canvas";
            box.appendChild(name);
            box.appendChild(canvas);
            el.appendChild(box);
            // A still picture: no tiles (the outlines are schematic), no zoom, no focusable controls.
            var map = L.map(canvas, {
                zoomControl: false, attributionControl: false, dragging: false, scrollWheelZoom: false,
                doubleClickZoom: false, boxZoom: false, keyboard: false, touchZoom: false, zoomSnap: 0.1
            });
            var layer = L.geoJSON({ type: "FeatureCollection", features: features }, {
                style: function (f) {
                    return { color: "#ffffff", weight: 1.5, fillColor: shade(values[f.properties.code], steps), fillOpacity: 1 };
                },
            }).addTo(map);
            map.fitBounds(layer.getBounds(), { padding: [8, 8], animate: false });
            drawn.push({ map: map, bounds: layer.getBounds() });
            // Each name and figure on its town (inside its outline, where cells are thin too).
            features.forEach(function (f) {
                var code = f.properties.code;
                var town = f.properties.town;
                var at = town ? L.latLng(town[1], town[0]) : L.geoJSON(f).getBounds().getCenter();
                var label = document.createElement("span");
                label.appendChild(document.createTextNode(f.properties.name));
                label.appendChild(document.createElement("br"));
                label.appendChild(document.createTextNode(texts[code] !== undefined ? texts[code] : format(0)));
                L.tooltip({ permanent: true, direction: "center", className: "obs-map__label", interactive: false })
                    .setLatLng(at).setContent(label).addTo(map);
            });
        });
        // Each area's box narrows as the next one is laid beside it: fit every map to its final size.
        drawn.forEach(function (item) {
            item.map.invalidateSize(false);
            item.map.fitBounds(item.bounds, { padding: [8, 8], animate: false });
        });
        legend(el, steps, format, series.label);
        el.dataset.drawn = "1";
    }

    document.addEventListener("DOMContentLoaded", function () {
        document.querySelectorAll("canvas[data-obs-chart]").forEach(function (canvas) {
            var data = readData(canvas.dataset.obsChart);
            if (data) { drawChart(canvas, data); }
        });
        document.querySelectorAll(".obs-map[data-obs-chart]").forEach(function (el) {
            var data = readData(el.dataset.obsChart);
            if (!data) { return; }
            fetch(el.dataset.geojson, { headers: { Accept: "application/geo+json" } })
                .then(function (response) {
                    if (!response.ok) { throw new Error(response.status); }
                    return response.json();
                })
                .then(function (geo) { drawMap(el, data, geo); })
                .catch(function () { el.dataset.drawn = "error"; });
        });
    });
})();
