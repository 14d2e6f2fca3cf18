/* A Calendly-compatible embed script served by the sandbox (Calendly's widget.js API):
   Calendly.initInlineWidget, initPopupWidget, closePopupWidget, initBadgeWidget and the
   declarative <div class="calendly-inline-widget" data-url="..."> embed.

   Each widget is an iframe on the booking page, whose URL carries the prefill, UTM and page
   settings as query parameters plus embed_domain (this page's host) and embed_type. The
   booking page posts its calendly.* messages to this window itself; this script relays none.
   It only listens to its own inline iframes' calendly.page_height when data-resize="true". */
(function () {
  "use strict";

  if (window.Calendly && window.Calendly.sandboxWidget) return;
  var Calendly = window.Calendly = window.Calendly || {};
  Calendly.sandboxWidget = true;

  var PREFILL = { name: "name", email: "email", firstName: "first_name", lastName: "last_name",
    location: "location" };
  var UTM = { utmCampaign: "utm_campaign", utmSource: "utm_source", utmMedium: "utm_medium",
    utmContent: "utm_content", utmTerm: "utm_term", salesforceUuid: "salesforce_uuid" };
  var FLAGS = { hideEventTypeDetails: "hide_event_type_details",
    hideLandingPageDetails: "hide_landing_page_details", hideGdprBanner: "hide_gdpr_banner" };
  var COLOURS = { backgroundColor: "background_color", textColor: "text_color",
    primaryColor: "primary_color" };

  function pad(number) {
    return (number < 10 ? "0" : "") + number;
  }

  function day(value) {
    if (value instanceof Date && !isNaN(value.getTime())) {
      return value.getFullYear() + "-" + pad(value.getMonth() + 1) + "-" + pad(value.getDate());
    }
    var text = String(value || "");
    return /^\d{4}-\d{2}-\d{2}/.test(text) ? text.slice(0, 10) : null;
  }

  function given(value) {
    return value !== undefined && value !== null && value !== "";
  }

  function copy(target, names, from) {
    Object.keys(names).forEach(function (key) {
      if (from && given(from[key])) target.push([names[key], String(from[key])]);
    });
  }

  /* The booking page's URL for a widget: url's own parameters, then the options'. */
  function widgetUrl(url, options, embedType) {
    var found = [];
    var prefill = options.prefill || {};
    copy(found, PREFILL, prefill);
    if (Array.isArray(prefill.guests) && prefill.guests.length) {
      found.push(["guests", prefill.guests.join(",")]);
    }
    var answers = prefill.customAnswers || {};
    for (var n = 1; n <= 10; n += 1) {
      if (given(answers["a" + n])) found.push(["a" + n, String(answers["a" + n])]);
    }
    if (given(prefill.date) && day(prefill.date)) {
      found.push(["month", day(prefill.date).slice(0, 7)], ["date", day(prefill.date)]);
    }
    copy(found, UTM, options.utm);
    var settings = options.pageSettings || {};
    Object.keys(FLAGS).forEach(function (key) {
      if (settings[key]) found.push([FLAGS[key], "1"]);
    });
    Object.keys(COLOURS).forEach(function (key) {
      if (given(settings[key])) found.push([COLOURS[key], String(settings[key]).replace(/^#/, "")]);
    });
    var host = window.location.host || window.location.protocol.replace(":", "");
    found.push(["embed_domain", host], ["embed_type", embedType]);

    var hash = "";
    var base = String(url || "");
    if (base.indexOf("#") >= 0) {
      hash = base.slice(base.indexOf("#"));
      base = base.slice(0, base.indexOf("#"));
    }
    var cut = base.indexOf("?");
    var path = cut >= 0 ? base.slice(0, cut) : base;
    var params = new URLSearchParams(cut >= 0 ? base.slice(cut + 1) : "");
    found.forEach(function (pair) {
      params.set(pair[0], pair[1]);
    });
    return path + "?" + params.toString() + hash;
  }

  function frame(url) {
    var iframe = document.createElement("iframe");
    iframe.setAttribute("src", url);
    iframe.setAttribute("width", "100%");
    iframe.setAttribute("height", "100%");
    iframe.setAttribute("frameborder", "0");
    iframe.setAttribute("title", "Select a Date & Time - Calendly");
    return iframe;
  }

  /* Inline: an iframe filling parentElement (its height follows calendly.page_height with
     resize: true or data-resize="true"). */
  Calendly.initInlineWidget = function (options) {
    options = options || {};
    var parent = options.parentElement;
    if (!parent || !options.url) return null;
    var iframe = frame(widgetUrl(options.url, options, "Inline"));
    parent.innerHTML = "";
    parent.appendChild(iframe);
    parent.setAttribute("data-processed", "true");
    var resize = options.resize === true || parent.getAttribute("data-resize") === "true";
    if (resize) {
      window.addEventListener("message", function (event) {
        var message = event.data || {};
        if (event.source === iframe.contentWindow && message.event === "calendly.page_height" &&
            message.payload && /^\d+(\.\d+)?px$/.test(String(message.payload.height))) {
          parent.style.height = message.payload.height;
        }
      });
    }
    return iframe;
  };

  function escape(event) {
    if (event.key === "Escape") Calendly.closePopupWidget();
  }

  /* Popup: a modal overlay with the iframe and a close button. */
  Calendly.initPopupWidget = function (options) {
    options = options || {};
    if (!options.url) return null;
    Calendly.closePopupWidget();
    var overlay = document.createElement("div");
    overlay.className = "calendly-overlay";
    var backdrop = document.createElement("div");
    backdrop.className = "calendly-close-overlay";
    backdrop.addEventListener("click", Calendly.closePopupWidget);
    var popup = document.createElement("div");
    popup.className = "calendly-popup";
    var content = document.createElement("div");
    content.className = "calendly-popup-content";
    var iframe = frame(widgetUrl(options.url, options, "PopupWidget"));
    content.appendChild(iframe);
    popup.appendChild(content);
    var close = document.createElement("button");
    close.className = "calendly-popup-close";
    close.setAttribute("type", "button");
    close.setAttribute("aria-label", "Close");
    close.addEventListener("click", Calendly.closePopupWidget);
    overlay.appendChild(backdrop);
    overlay.appendChild(popup);
    overlay.appendChild(close);
    document.body.appendChild(overlay);
    document.addEventListener("keydown", escape);
    return iframe;
  };

  Calendly.showPopupWidget = function (url) {
    return Calendly.initPopupWidget({ url: url });
  };

  Calendly.closePopupWidget = function () {
    var open = document.querySelectorAll(".calendly-overlay");
    for (var i = 0; i < open.length; i += 1) {
      if (open[i].parentNode) open[i].parentNode.removeChild(open[i]);
    }
    document.removeEventListener("keydown", escape);
  };

  /* Badge: a floating button that opens the popup. */
  Calendly.initBadgeWidget = function (options) {
    options = options || {};
    if (!options.url) return null;
    var badge = document.createElement("div");
    badge.className = "calendly-badge-widget";
    var button = document.createElement("button");
    button.className = "calendly-badge-content";
    button.setAttribute("type", "button");
    button.textContent = options.text || "Schedule time with me";
    if (options.color) button.style.background = options.color;
    if (options.textColor) button.style.color = options.textColor;
    button.addEventListener("click", function () {
      Calendly.initPopupWidget(options);
    });
    badge.appendChild(button);
    document.body.appendChild(badge);
    return badge;
  };

  /* The declarative embed: every .calendly-inline-widget[data-url] not yet filled. */
  function autoLoad() {
    var found = document.querySelectorAll(".calendly-inline-widget[data-url]");
    for (var i = 0; i < found.length; i += 1) {
      var node = found[i];
      if (node.getAttribute("data-processed") === "true") continue;
      if (node.getAttribute("data-auto-load") === "false") continue;
      Calendly.initInlineWidget({ url: node.getAttribute("data-url"), parentElement: node });
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", autoLoad);
  } else {
    autoLoad();
  }
})();
