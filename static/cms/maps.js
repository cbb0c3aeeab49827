/* Leaflet maps of the destination pages. Points come from a json_script element; the tile server is
   settings.MAP_TILE_URL (empty: markers on a plain background, as in the tests). No CDN. */
(function () {
    "use strict";
    function escapeHtml(text) {
        var div = document.createElement("div");
        div.textContent = text == null ? "" : String(text);
        return div.innerHTML;
    }
    function initMap(el) {
        if (!window.L || el.dataset.ready) { return; }
        el.dataset.ready = "1";
        var points = JSON.parse(document.getElementById(el.dataset.points).textContent || "[]");
        var center = el.dataset.center.split(",").map(Number);
        var map = L.map(el, { scrollWheelZoom: false }).setView(center, Number(el.dataset.zoom) || 10);
        if (el.dataset.tiles) {
            L.tileLayer(el.dataset.tiles, { attribution: el.dataset.attribution, maxZoom: 18 }).addTo(map);
        } else {
            el.classList.add("cms-map--no-tiles");
        }
        var bounds = [];
        points.forEach(function (p, i) {
            if (p.radius) {  // an area: a soft disc of its extent under the marker
                L.circle([p.lat, p.lng], { radius: p.radius, color: "#5b6b3a", weight: 1, fillColor: "#5b6b3a", fillOpacity: 0.12, interactive: false }).addTo(map);
            }
            var marker = L.circleMarker([p.lat, p.lng], {
                radius: 9, color: "#ffffff", weight: 2, fillColor: "#9c4a2f", fillOpacity: 0.95
            }).addTo(map);
            var html = p.url ? '<a href="' + escapeHtml(p.url) + '">' + escapeHtml(p.title) + "</a>" : escapeHtml(p.title);
            marker.bindPopup(html);
            // Few points: names always visible; many (crowded) points: names on hover.
            // Alternate above/below so the names of neighbouring points (a route's stages) do not overlap.
            var above = i % 2 === 0;
            marker.bindTooltip(escapeHtml(p.title), {
                permanent: points.length <= 6, direction: above ? "top" : "bottom",
                offset: [0, above ? -8 : 8], className: "cms-map__label"
            });
            bounds.push([p.lat, p.lng]);
        });
        if (el.dataset.fit === "1" && bounds.length > 1) {
            map.fitBounds(bounds, { padding: [50, 90], maxZoom: 14 });
        } else if (bounds.length === 1) {
            map.setView(bounds[0], Number(el.dataset.zoom) || 13);
        }
        if (el.dataset.line === "1" && bounds.length > 1) {
            L.polyline(bounds, { color: "#5b6b3a", weight: 4, dashArray: "6 6" }).addTo(map);
        }
    }
    document.addEventListener("DOMContentLoaded", function () {
        document.querySelectorAll(".cms-map").forEach(initMap);
    });
})();
