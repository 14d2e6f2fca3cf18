/* The sandbox's booking page: a day and a time picked in the invitee's time zone, then the
   form (the server's HTML; a POST books), and Calendly's calendly.* messages posted to the
   parent window when the page is embedded (embed_domain in its URL and a parent window).

   Tests drive it through window.CalendlySandbox (see the bottom of this file) or through the
   stable ids and data-testid attributes of its elements. */
(function () {
  "use strict";

  var source = document.getElementById("cal-data");
  var data = JSON.parse((source && source.textContent) || "{}");
  var query = new URLSearchParams(window.location.search);
  var embedded = Boolean(query.get("embed_domain")) && window.parent !== window;
  var sent = [];

  function post(name, payload) {
    var message = { event: name, payload: payload || {} };
    sent.push({ event: name, payload: message.payload, posted: embedded });
    if (embedded) {
      window.parent.postMessage(message, "*");
    }
  }

  function byId(id) {
    return document.getElementById(id);
  }

  function make(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function pad(number) {
    return (number < 10 ? "0" : "") + number;
  }

  // -- page height (calendly.page_height, only when it changes) --------------------------------
  var lastHeight = null;
  function reportHeight() {
    var box = document.documentElement.getBoundingClientRect().height;
    var height = Math.ceil(Math.max(document.body.scrollHeight, box)) + "px";
    if (height !== lastHeight) {
      lastHeight = height;
      post("calendly.page_height", { height: height });
    }
  }

  // -- time zones and words --------------------------------------------------------------------
  function validZone(name) {
    if (!name) return false;
    try {
      new Intl.DateTimeFormat("en-US", { timeZone: name });
      return true;
    } catch (error) {
      return false;
    }
  }

  function firstZone() {
    if (data.keep_timezone && validZone(data.timezone)) return data.timezone;
    var found = null;
    try {
      found = Intl.DateTimeFormat().resolvedOptions().timeZone;
    } catch (error) {
      found = null;
    }
    if (validZone(found)) return found;
    return validZone(data.timezone) ? data.timezone : "UTC";
  }

  var zone = firstZone();
  var formatter = null;

  function local(stamp) {
    if (!formatter) {
      formatter = new Intl.DateTimeFormat("en-US", {
        timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit",
        hour: "2-digit", minute: "2-digit", hourCycle: "h23"
      });
    }
    var parts = {};
    formatter.formatToParts(new Date(stamp)).forEach(function (part) {
      parts[part.type] = part.value;
    });
    var hour = Number(parts.hour) % 24;
    var time = data.time_notation === "24h"
      ? pad(hour) + ":" + parts.minute
      : ((hour % 12) || 12) + ":" + parts.minute + (hour < 12 ? "am" : "pm");
    return { date: parts.year + "-" + parts.month + "-" + parts.day, time: time };
  }

  function longDate(day, withYear) {
    var options = { weekday: "long", month: "long", day: "numeric", timeZone: "UTC" };
    if (withYear) options.year = "numeric";
    return new Intl.DateTimeFormat("en-US", options).format(new Date(day + "T12:00:00Z"));
  }

  function whenText(stamp) {
    var start = local(stamp);
    var end = local(new Date(new Date(stamp).getTime() + (data.duration || 0) * 60000).toISOString());
    return start.time + " - " + end.time + ", " + longDate(start.date, true);
  }

  // -- the picker ------------------------------------------------------------------------------
  var view = {
    month: data.month,
    slots: data.slots || [],
    day: null,
    start: data.start_time || null,
    loading: false,
    request: 0
  };

  function byDay() {
    var days = {};
    view.slots.forEach(function (stamp) {
      var day = local(stamp).date;
      if (day.slice(0, 7) === view.month) {
        (days[day] = days[day] || []).push(stamp);
      }
    });
    return days;
  }

  function drawSlots(days) {
    var box = byId("day-slots");
    var list = byId("slot-list");
    if (!box || !list) return;
    list.textContent = "";
    var starts = view.day ? days[view.day] || [] : [];
    box.hidden = starts.length === 0;
    if (!starts.length) return;
    byId("slots-date").textContent = longDate(view.day, false);
    starts.forEach(function (stamp) {
      var button = make("button", "cal-slot", local(stamp).time);
      button.type = "button";
      button.id = "slot-" + stamp;
      button.setAttribute("data-start", stamp);
      button.setAttribute("data-testid", "slot-" + stamp);
      button.setAttribute("role", "listitem");
      button.addEventListener("click", function () {
        pickSlot(stamp);
      });
      list.appendChild(button);
    });
  }

  function drawCalendar() {
    var grid = byId("days");
    if (!grid) return;
    var days = byDay();
    var year = Number(view.month.slice(0, 4));
    var month = Number(view.month.slice(5, 7));
    byId("month-label").textContent = new Intl.DateTimeFormat("en-US", {
      month: "long", year: "numeric", timeZone: "UTC"
    }).format(new Date(Date.UTC(year, month - 1, 1)));
    grid.textContent = "";
    ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"].forEach(function (name) {
      var head = make("span", "cal-weekday", name);
      head.setAttribute("role", "columnheader");
      grid.appendChild(head);
    });
    var blanks = new Date(Date.UTC(year, month - 1, 1)).getUTCDay();
    var count = new Date(Date.UTC(year, month, 0)).getUTCDate();
    for (var i = 0; i < blanks; i += 1) grid.appendChild(make("span", "cal-blank"));
    for (var number = 1; number <= count; number += 1) {
      var day = view.month + "-" + pad(number);
      var open = Boolean(days[day]);
      var button = make("button", "cal-day" + (open ? " cal-open" : "") +
        (day === view.day ? " cal-chosen" : ""), String(number));
      button.type = "button";
      button.id = "day-" + day;
      button.setAttribute("data-date", day);
      button.setAttribute("data-testid", "day-" + day);
      button.setAttribute("data-available", open ? "true" : "false");
      button.setAttribute("aria-label", longDate(day, false) + (open ? ", times available" : ", no times"));
      button.setAttribute("aria-pressed", day === view.day ? "true" : "false");
      button.disabled = !open;
      if (open) {
        button.addEventListener("click", pickDay.bind(null, day));
      }
      grid.appendChild(button);
    }
    byId("no-times").hidden = view.loading || Object.keys(days).length > 0;
    byId("month-prev").disabled = view.loading || view.month <= data.min_month;
    byId("month-next").disabled = view.loading || view.month >= data.max_month;
    drawSlots(days);
  }

  function showMonth(month) {
    if (!/^\d{4}-\d{2}$/.test(month) || month < data.min_month || month > data.max_month) {
      return Promise.resolve(false);
    }
    if (month === view.month) {
      drawCalendar();
      return Promise.resolve(true);
    }
    view.request += 1;
    var ticket = view.request;
    view.loading = true;
    drawCalendar();
    var url = data.slots_url + "?month=" + encodeURIComponent(month);
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      })
      .then(function (body) {
        if (ticket !== view.request) return false;
        view.month = body.month;
        view.slots = body.slots || [];
        view.day = null;
        view.loading = false;
        drawCalendar();
        return true;
      })
      .catch(function () {
        if (ticket === view.request) {
          view.loading = false;
          drawCalendar();
        }
        return false;
      });
  }

  function shiftMonth(count) {
    var year = Number(view.month.slice(0, 4));
    var month = Number(view.month.slice(5, 7)) - 1 + count;
    var moved = new Date(Date.UTC(year, month, 1));
    return moved.getUTCFullYear() + "-" + pad(moved.getUTCMonth() + 1);
  }

  function pickDay(day) {
    if (!byDay()[day]) return false;
    view.day = day;
    drawCalendar();
    return true;
  }

  function setPhase(phase) {
    document.body.setAttribute("data-phase", phase);
    var picker = byId("picker");
    var form = byId("details-form");
    if (picker) picker.hidden = phase !== "pick";
    if (form) form.hidden = phase !== "form";
  }

  function showSelected() {
    var line = byId("selected-time");
    if (!line || !view.start) return;
    line.textContent = whenText(view.start);
    line.setAttribute("data-start", view.start);
  }

  function pickSlot(stamp) {
    if (view.slots.indexOf(stamp) < 0 || !byId("booking-form")) return false;
    view.start = stamp;
    view.day = local(stamp).date;
    byId("start_time").value = stamp;
    var error = byId("error-start_time");
    if (error) {
      error.hidden = true;
      error.textContent = "";
    }
    showSelected();
    setPhase("form");
    post("calendly.date_and_time_selected", {});
    var first = document.querySelector("#booking-form input:not([type=hidden])");
    if (first) first.focus();
    return true;
  }

  function back() {
    if (!byId("picker")) return false;
    setPhase("pick");
    if (view.start && local(view.start).date.slice(0, 7) === view.month) {
      view.day = local(view.start).date;
    }
    drawCalendar();
    return true;
  }

  function setTimezone(name) {
    if (!validZone(name)) return false;
    zone = name;
    formatter = null;
    var select = byId("timezone");
    if (select) {
      if (!Array.prototype.some.call(select.options, function (o) { return o.value === name; })) {
        select.appendChild(new Option(name, name));
      }
      select.value = name;
    }
    view.day = view.start ? local(view.start).date : null;
    drawCalendar();
    showSelected();
    return true;
  }

  function fillZones() {
    var select = byId("timezone");
    if (!select) return;
    var zones = [];
    try {
      zones = Intl.supportedValuesOf ? Intl.supportedValuesOf("timeZone") : [];
    } catch (error) {
      zones = [];
    }
    [zone, data.timezone, "UTC"].forEach(function (name) {
      if (validZone(name) && zones.indexOf(name) < 0) zones.push(name);
    });
    zones.sort();
    select.textContent = "";
    zones.forEach(function (name) {
      select.appendChild(new Option(name, name, name === zone, name === zone));
    });
    select.addEventListener("change", function () {
      setTimezone(select.value);
    });
  }

  // -- the form --------------------------------------------------------------------------------
  function placeChanged() {
    var chosen = document.querySelector("input[name=location_choice]:checked") ||
      document.querySelector("[data-testid=location-choice-0]");
    var box = byId("field-location-text");
    if (!chosen || !box) return;
    box.hidden = chosen.getAttribute("data-needs-text") !== "true";
    var label = byId("location-label");
    if (label && label.firstChild) {
      label.firstChild.textContent =
        chosen.getAttribute("data-kind") === "outbound_call" ? "Phone number" : "Location";
    }
  }

  function fill(values) {
    var form = byId("booking-form");
    if (!form) return false;
    Object.keys(values || {}).forEach(function (name) {
      var value = values[name];
      if (name === "timezone") {
        setTimezone(value);
        return;
      }
      var item = form.elements.namedItem(name);
      if (!item) return;
      var wanted = Array.isArray(value) ? value.map(String) : [String(value)];
      if (item instanceof RadioNodeList || item.type === "radio" || item.type === "checkbox") {
        var boxes = item instanceof RadioNodeList ? Array.prototype.slice.call(item) : [item];
        boxes.forEach(function (box) {
          box.checked = wanted.indexOf(box.value) >= 0;
          box.dispatchEvent(new Event("change", { bubbles: true }));
        });
      } else {
        item.value = Array.isArray(value) ? value.join(", ") : String(value);
        item.dispatchEvent(new Event("input", { bubbles: true }));
      }
    });
    return true;
  }

  function submit() {
    var form = byId("booking-form");
    if (!form) return false;
    if (form.requestSubmit) form.requestSubmit();
    else form.submit();
    return true;
  }

  function wireForm() {
    var form = byId("booking-form");
    if (!form) return;
    var submitting = false;
    form.addEventListener("submit", function (event) {
      if (submitting) {
        event.preventDefault();
        return;
      }
      submitting = true;
      byId("submit").disabled = true;
    });
    document.querySelectorAll("input[name=location_choice]").forEach(function (radio) {
      radio.addEventListener("change", placeChanged);
    });
    placeChanged();
  }

  // -- start -----------------------------------------------------------------------------------
  function start() {
    if (byId("days")) {
      fillZones();
      if (view.start) {
        view.day = local(view.start).date;
      } else if (data.selected_date && data.selected_date.slice(0, 7) === view.month) {
        view.day = byDay()[data.selected_date] ? data.selected_date : null;
      }
      drawCalendar();
      showSelected();
      byId("month-prev").addEventListener("click", function () { showMonth(shiftMonth(-1)); });
      byId("month-next").addEventListener("click", function () { showMonth(shiftMonth(1)); });
    }
    var backButton = byId("back");
    if (backButton) backButton.addEventListener("click", back);
    wireForm();
    var banner = byId("gdpr-banner");
    if (banner) {
      byId("gdpr-close").addEventListener("click", function () { banner.hidden = true; });
    }
    (data.announce || []).forEach(function (message) {
      post(message.event, message.payload);
    });
    reportHeight();
    if (window.ResizeObserver) {
      new ResizeObserver(reportHeight).observe(document.body);
    }
    window.addEventListener("load", reportHeight);
    document.documentElement.setAttribute("data-cal-ready", "true");
  }

  window.CalendlySandbox = {
    embedded: embedded,
    data: data,
    phase: function () { return document.body.getAttribute("data-phase"); },
    messages: function () { return sent.slice(); },
    timezone: function () { return zone; },
    setTimezone: setTimezone,
    month: function () { return view.month; },
    showMonth: showMonth,
    nextMonth: function () { return showMonth(shiftMonth(1)); },
    previousMonth: function () { return showMonth(shiftMonth(-1)); },
    availableDays: function () { return Object.keys(byDay()).sort(); },
    selectedDay: function () { return view.day; },
    pickDay: pickDay,
    slots: function () { return view.day ? (byDay()[view.day] || []).slice() : []; },
    monthSlots: function () { return view.slots.slice(); },
    pickSlot: pickSlot,
    back: back,
    fill: fill,
    submit: submit
  };

  start();
})();
