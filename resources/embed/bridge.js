// Calendly Console's bridge: hands the embed's calendly.* messages to the app over QWebChannel.
// Injected by the app into an isolated world of the host page's main frame only: the page's own
// scripts (widget.js, anything it loads) share the DOM but cannot reach the app's channel.
// Only messages from the embed's origin are forwarded; the app checks the origin again.
(function () {
  "use strict";
  var EMBED_ORIGIN = "__EMBED_ORIGIN__";
  var MIN_HEIGHT = 200;
  var MAX_HEIGHT = 5000;
  var bridge = null;
  var queue = []; // messages that arrive before the channel is up

  function send(method, origin, data) {
    if (bridge) {
      bridge[method](origin, data);
    } else {
      queue.push([method, origin, data]);
    }
  }

  // calendly.page_height says how tall the booking page is: the inline widget follows it.
  function resize(payload) {
    var height = parseInt(payload && payload.height, 10);
    if (!(height > 0)) {
      return;
    }
    height = Math.max(MIN_HEIGHT, Math.min(MAX_HEIGHT, height));
    var widgets = document.querySelectorAll(".calendly-inline-widget");
    for (var i = 0; i < widgets.length; i++) {
      widgets[i].style.height = height + "px";
    }
  }

  new QWebChannel(qt.webChannelTransport, function (channel) {
    bridge = channel.objects.bridge;
    queue.splice(0).forEach(function (item) {
      bridge[item[0]](item[1], item[2]);
    });
  });

  window.addEventListener("message", function (event) {
    var data = event.data;
    if (!data || typeof data.event !== "string" || data.event.indexOf("calendly.") !== 0) {
      return; // not Calendly's: some other script's traffic
    }
    if (event.origin !== EMBED_ORIGIN) {
      send("ignore", String(event.origin), data.event.slice(0, 100));
      return;
    }
    var text;
    try {
      text = JSON.stringify({ event: data.event, payload: data.payload || {} });
    } catch (error) {
      return;
    }
    if (data.event === "calendly.page_height") {
      resize(data.payload);
    }
    send("receive", event.origin, text);
  });
})();
