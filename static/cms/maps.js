/* Leaflet maps of the destination pages. Points come from a json_script element (data-points) or, where
   they can be many (an area's), from the GeoJSON endpoint (data-geojson): the page carries only its URL,
   and lists the places in HTML for visitors without JavaScript. The tile server is settings.MAP_TILE_URL
   (empty: markers on a plain background, as in the tests). No CDN. */
(function () {
    "use strict";
    var COLOURS = { operator: "#5b6b3a", package: "#2f5f8a" };  // anything else: points of interest
    function escapeHtml(text) {
        var div = document.createElement("div");
        div.textContent = text == null ? "" : String(text);
        return div.innerHTML;
    }
    function fromGeoJSON(data) {
        return (data.features || []).filter(function (f) {
            return f.geometry && f.geometry.type === "Point";
        }).map(function (f) {
            var p = f.properties || {};
            return {
                title: p.name || p.title || "", url: p.url, kind: p.kind, kindLabel: p.kind_label,
                lat: f.geometry.coordinates[1], lng: f.geometry.coordinates[0]
            };
        });
    }
    function initMap(el) {
        if (!window.L || el.dataset.ready) { return; }
        el.dataset.ready = "1";
        if (el.dataset.geojson) {
            fetch(el.dataset.geojson, { headers: { Accept: "application/geo+json" } })
                .then(function (response) {
                    if (!response.ok) { throw new Error(response.status); }
                    return response.json();
                })
                .then(function (data) { drawMap(el, fromGeoJSON(data)); el.dataset.loaded = "1"; })
                .catch(function () { drawMap(el, []); el.dataset.loaded = "error"; });
        } else {
            drawMap(el, JSON.parse(document.getElementById(el.dataset.points).textContent || "[]"));
        }
    }
    function drawMap(el, points) {
        var center = el.dataset.center.split(",").map(Number);
        var map = L.map(el, { scrollWheelZoom: false }).setView(center, Number(el.dataset.zoom) || 10);
        if (el.dataset.tiles) {
            L.tileLayer(el.dataset.tiles, { attribution: el.dataset.attribution, maxZoom: 18 }).addTo(map);
        } else {
            el.classList.add("cms-map--no-tiles");
        }
        var bounds = L.latLngBounds([]);
        var line = [];
        var markers = [];
        points.forEach(function (p) {
            if (p.radius) {  // an area: a soft disc of its extent under the marker
                var disc = L.circle([p.lat, p.lng], {
                    radius: p.radius, color: "#5b6b3a", weight: 1, fillColor: "#5b6b3a", fillOpacity: 0.12, interactive: false
                }).addTo(map);
                bounds.extend(disc.getBounds());
            }
            var marker = L.circleMarker([p.lat, p.lng], {
                radius: 9, color: "#ffffff", weight: 2, fillColor: COLOURS[p.kind] || "#9c4a2f", fillOpacity: 0.95
            }).addTo(map);
            var html = p.url ? '<a href="' + escapeHtml(p.url) + '">' + escapeHtml(p.title) + "</a>" : escapeHtml(p.title);
            if (p.kindLabel) { html += '<br><small>' + escapeHtml(p.kindLabel) + "</small>"; }
            marker.bindPopup(html);
            markers.push({ marker: marker, title: p.title });
            bounds.extend([p.lat, p.lng]);
            line.push([p.lat, p.lng]);
        });
        if (el.dataset.fit === "1" && points.length > 1) {
            map.fitBounds(bounds, { padding: [40, 40], maxZoom: 15, animate: false });
        } else if (points.length === 1) {
            map.setView(line[0], Number(el.dataset.zoom) || 13, { animate: false });
        }
        if (el.dataset.line === "1" && line.length > 1) {
            L.polyline(line, { color: "#5b6b3a", weight: 4, dashArray: "6 6" }).addTo(map);
        }
        // Names always visible where there is room, on hover where points crowd (greedy, in page order);
        // labels alternate above and below so a route's neighbouring stages do not overlap.
        var placed = [];
        markers.forEach(function (m, i) {
            var at = map.latLngToContainerPoint(m.marker.getLatLng());
            var above = i % 2 === 0;
            var width = 14 + 7.2 * m.title.length;
            var box = { left: at.x - width / 2, right: at.x + width / 2, top: above ? at.y - 40 : at.y + 12 };
            box.bottom = box.top + 28;
            var room = markers.length <= 30 && placed.every(function (o) {
                return box.right < o.left || box.left > o.right || box.bottom < o.top || box.top > o.bottom;
            });
            m.marker.bindTooltip(escapeHtml(m.title), {
                permanent: room, direction: above ? "top" : "bottom", offset: [0, above ? -8 : 8], className: "cms-map__label"
            });
            if (room) { placed.push(box); }
        });
    }
    document.addEventListener("DOMContentLoaded", function () {
        document.querySelectorAll(".cms-map").forEach(initMap);
    });
})();
