/* Package page: the booking box (party, calendar, extras, total) changes in place.

   Without JavaScript every choice is a link or a form that reloads the page (the server renders it all).
   With it, the same choices fetch the box alone (packages:booking-box: the same template and the same
   query parameters) and swap it in, keeping the focus where the visitor was and the address bar in step
   (history.replaceState), so a bookmark or a reload shows the same choice. The calendar is a grid with
   one Tab stop: the arrow keys move between days, Enter or Space chooses one. A static file only: the
   page's Content-Security-Policy allows no inline script. */
(function () {
    "use strict";

    var box = document.getElementById("package-booking-box");
    if (!box || !window.fetch || !window.URLSearchParams) {
        return;
    }
    var status = document.getElementById("package-booking-status");
    var productPath = window.location.pathname;
    var latest = 0;
    box.classList.add("is-live");

    function partyForm() {
        return box.querySelector("form.package-party");
    }

    /* What the box shows now, as the page's GET parameters: the party typed (even if not sent yet), the
       chosen day, the month, the departure time and the ticked extras. */
    function currentParams() {
        var form = partyForm();
        var params = new URLSearchParams();
        if (form) {
            new FormData(form).forEach(function (value, name) {
                if (name !== "extra") {
                    params.append(name, value);
                }
            });
        }
        /* a single service's departure time: the radio ticked wins over the party form's copy */
        var departure = box.querySelector(".package-departures input[name=start_time]:checked");
        if (departure) {
            params.set("start_time", departure.value);
        }
        var ticked = box.querySelectorAll(".package-extras input[name=extra]:checked");
        if (ticked.length || box.querySelector(".package-extras")) {
            ticked.forEach(function (input) {
                params.append("extra", input.value);
            });
        } else if (form) {
            form.querySelectorAll("input[name=extra]").forEach(function (input) {
                params.append("extra", input.value);
            });
        }
        return params;
    }

    /* A calendar or month link's parameters, with the party as typed right now. */
    function linkParams(link) {
        var params = new URL(link.getAttribute("href"), window.location.href).searchParams;
        var form = partyForm();
        ["adults", "children_ages", "infants"].forEach(function (name) {
            var input = form && form.elements[name];
            if (input) {
                params.set(name, input.value.trim());
            }
        });
        return params;
    }

    /* What has the focus, so the new box can give it back: a field (by id), a day (by date) or a month arrow. */
    function focusKey() {
        var active = document.activeElement;
        if (!active || !box.contains(active)) {
            return null;
        }
        if (active.dataset.day || active.dataset.date) {
            return {day: active.dataset.day || active.dataset.date};
        }
        if (active.dataset.focus) {
            return {focus: active.dataset.focus};
        }
        if (active.id) {
            var key = {id: active.id, value: active.value};
            try {
                key.start = active.selectionStart;
                key.end = active.selectionEnd;
            } catch (error) { /* number inputs have no selection */ }
            return key;
        }
        return null;
    }

    function restoreFocus(key, sent) {
        var target = null;
        if (key && key.day) {
            target = dayTarget(box.querySelector('.package-calendar td[data-date="' + key.day + '"]'));
            if (target) {
                rove(target);
            }
        } else if (key && key.focus) {
            target = box.querySelector('[data-focus="' + key.focus + '"]') || tabbableDay();
        } else if (key && key.id) {
            target = document.getElementById(key.id);
            if (target && target.value !== key.value && sent && sent.get(target.name) !== key.value) {
                target.value = key.value; /* typed while the box was loading: keep it, and send it next */
                schedule(currentParams());
            }
        }
        if (target) {
            target.focus({preventScroll: false});
            if (key.start !== undefined && key.start !== null) {
                try {
                    target.setSelectionRange(key.start, key.end);
                } catch (error) { /* not a text field */ }
            }
        }
    }

    var timer = null;

    /* Show the box for `params`; the latest choice wins (a pending party change included: a click on a
       day right after typing a party sends the typed party with the day). */
    function load(params, focus) {
        window.clearTimeout(timer);
        var request = ++latest;
        box.setAttribute("aria-busy", "true");
        return window.fetch(box.dataset.fragmentUrl + "?" + params.toString(), {
            headers: {"X-Requested-With": "fetch"},
            credentials: "same-origin"
        }).then(function (response) {
            if (!response.ok) {
                throw new Error("booking box " + response.status);
            }
            return response.text();
        }).then(function (html) {
            if (request !== latest) {
                return; /* a newer choice is on its way */
            }
            var key = focus === undefined ? focusKey() : focus;
            box.innerHTML = html;
            box.removeAttribute("aria-busy");
            setUpCalendar();
            window.history.replaceState(null, "", productPath + "?" + params.toString());
            restoreFocus(key, params);
            var body = box.querySelector("[data-announce]");
            if (status && body) {
                status.textContent = body.dataset.announce;
            }
        }).catch(function () {
            /* the network failed: fall back to the plain page for the same choice */
            window.location.assign(productPath + "?" + params.toString());
        });
    }

    function schedule(params) {
        window.clearTimeout(timer);
        timer = window.setTimeout(function () {
            load(params);
        }, 50);
    }

    /* The calendar: one Tab stop, arrows move, Enter/Space choose (the WAI-ARIA grid pattern). */
    function dayTarget(cell) {
        if (!cell) {
            return null;
        }
        return cell.querySelector("a[data-day]") || cell;
    }

    function tabbableDay() {
        return dayTarget(box.querySelector(".package-calendar td[data-tabbable]") ||
                         box.querySelector(".package-calendar td[data-date]"));
    }

    function setUpCalendar() {
        var cells = box.querySelectorAll(".package-calendar td[data-date]");
        var first = tabbableDay();
        cells.forEach(function (cell) {
            var target = dayTarget(cell);
            target.setAttribute("tabindex", target === first ? "0" : "-1");
        });
    }

    /* The day that keeps the calendar's one Tab stop. */
    function rove(target) {
        box.querySelectorAll(".package-calendar [tabindex='0']").forEach(function (element) {
            element.setAttribute("tabindex", "-1");
        });
        target.setAttribute("tabindex", "0");
    }

    function moveTo(date) {
        var iso = date.toISOString().slice(0, 10);
        var cell = box.querySelector('.package-calendar td[data-date="' + iso + '"]');
        if (cell) {
            var target = dayTarget(cell);
            rove(target);
            target.focus();
            return;
        }
        /* another month: load it, then put the focus on that day */
        var arrow = box.querySelector(date < new Date(box.querySelector(".package-calendar td[data-date]").dataset.date)
            ? '[data-focus="previous"]' : '[data-focus="next"]');
        if (arrow) {
            var params = linkParams(arrow);
            params.set("month", iso.slice(0, 7));
            load(params, {day: iso});
        }
    }

    box.addEventListener("keydown", function (event) {
        var element = event.target;
        var cell = element.closest && element.closest(".package-calendar td[data-date]");
        if (!cell) {
            return;
        }
        var steps = {ArrowLeft: -1, ArrowRight: 1, ArrowUp: -7, ArrowDown: 7};
        var date = new Date(cell.dataset.date + "T00:00:00Z");
        if (event.key in steps) {
            date.setUTCDate(date.getUTCDate() + steps[event.key]);
        } else if (event.key === "Home" || event.key === "End") {
            var weekday = (date.getUTCDay() + 6) % 7; /* Monday 0 */
            date.setUTCDate(date.getUTCDate() + (event.key === "Home" ? -weekday : 6 - weekday));
        } else if (event.key === "PageUp" || event.key === "PageDown") {
            date.setUTCMonth(date.getUTCMonth() + (event.key === "PageUp" ? -1 : 1));
        } else if ((event.key === " " || event.key === "Enter") && element.matches("a[data-day]")) {
            event.preventDefault();
            load(linkParams(element), {day: cell.dataset.date});
            return;
        } else {
            return;
        }
        event.preventDefault();
        moveTo(date);
    });

    box.addEventListener("click", function (event) {
        var link = event.target.closest && event.target.closest(".package-calendar a[href]");
        if (!link || event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) {
            return;
        }
        event.preventDefault();
        var cell = link.closest("td[data-date]");
        load(linkParams(link), cell ? {day: cell.dataset.date} : {focus: link.dataset.focus});
    });

    box.addEventListener("change", function (event) {
        var input = event.target;
        if (input.form && (input.form.matches(".package-party") || input.matches(".package-extras input") ||
                           input.matches(".package-departures input"))) {
            schedule(currentParams());
        }
    });

    box.addEventListener("submit", function (event) {
        var form = event.target;
        var submitter = event.submitter;
        if (form.matches(".package-party") || (submitter && submitter.value === "update")) {
            event.preventDefault();
            schedule(currentParams());
        }
    });

    setUpCalendar();

    /* The phone's "Check dates" button: to the booking box, with the focus on its first field. */
    var checkDates = document.querySelector(".package-check-dates");
    if (checkDates) {
        checkDates.addEventListener("click", function (event) {
            event.preventDefault();
            box.scrollIntoView({behavior: "smooth", block: "start"});
            var first = box.querySelector("#id_adults") || box;
            first.focus({preventScroll: true});
        });
        if (window.IntersectionObserver) {
            new window.IntersectionObserver(function (entries) {
                checkDates.classList.toggle("is-hidden", entries[0].isIntersecting);
            }).observe(box);
        }
    }
})();
