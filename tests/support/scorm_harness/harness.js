/*
 * A stand-in LMS page for the tests: it hosts scorm-again's SCORM 1.2 or SCORM 2004 run-time
 * object where a SCO looks for it (window.API or window.API_1484_11 of a parent frame), opens the
 * package's launch page in a frame, and records what the run-time sees.
 *
 *   harnessLaunch(version, url, data, refuse)
 *                                      start an attempt's session; `data` is the CMI JSON the LMS
 *                                      holds for this learner (scorm-again's loadFromJSON format);
 *                                      SetValue fails for the elements listed in `refuse`, as on
 *                                      an LMS that does not implement them; "call:NAME" in
 *                                      `refuse` makes the API call NAME fail instead
 *   harnessPopup(version, url, data)   the same, but open the SCO in a new window, as LMSs do
 *                                      when set to "open in a new window": the SCO finds the API
 *                                      through window.opener
 *   harnessClose()                     take the SCO's frame away (or close its window), as an LMS
 *                                      does when the learner leaves; the SCO should finish
 *   harnessResult()                    what the run-time holds: calls counted, the CMI data, errors
 */
(function () {
  "use strict";

  var session = null;

  function count(api, events) {
    var calls = {};
    events.forEach(function (name) {
      calls[name] = 0;
      api.on(name, function () {
        calls[name] += 1;
      });
    });
    return calls;
  }

  window.harnessLaunch = function (version, url, data, refuse) {
    if (session && session.frame) throw new Error("close the previous session first");
    delete window.API;
    delete window.API_1484_11;
    var settings = { autocommit: false, logLevel: 5, lmsCommitUrl: false };
    var api;
    var events;
    var set = [];
    if (version === "1.2") {
      api = new window.Scorm12API(settings);
      window.API = api;
      events = ["LMSInitialize", "LMSFinish", "LMSCommit"];
      api.on("LMSSetValue.cmi.*", function (element, value) {
        set.push([element, value, api.lastErrorCode]);
      });
    } else {
      api = new window.Scorm2004API(settings);
      window.API_1484_11 = api;
      events = ["Initialize", "Terminate", "Commit"];
      api.on("SetValue.cmi.*", function (element, value) {
        set.push([element, value, api.lastErrorCode]);
      });
    }
    if (data) api.loadFromJSON(data, "");
    var refused = {};
    (refuse || []).forEach(function (element) {
      refused[element] = 0;
      if (element.indexOf("call:") === 0) {
        var name = element.slice(5);
        api[name] = function () {
          refused[element] += 1;
          return "false";
        };
      }
    });
    var setName = version === "1.2" ? "LMSSetValue" : "SetValue";
    var realSet = api[setName];
    api[setName] = function (element, value) {
      if (element in refused) {
        refused[element] += 1;
        return "false";
      }
      return realSet.call(api, element, value);
    };
    var frame = document.createElement("iframe");
    frame.title = "Course";
    frame.id = "sco";
    session = {
      version: version,
      api: api,
      calls: count(api, events),
      set: set,
      refused: refused,
      frame: frame,
    };
    frame.src = url;
    document.body.append(frame);
    return true;
  };

  window.harnessPopup = function (version, url, data) {
    window.harnessLaunch(version, "about:blank", data, []);
    session.frame.remove();
    session.frame = null;
    session.window = window.open(url, "sco");
    return true;
  };

  window.harnessClose = function () {
    if (session && session.frame) {
      session.frame.remove();
      session.frame = null;
    }
    if (session && session.window) {
      session.window.close();
      session.window = null;
    }
    return true;
  };

  window.harnessResult = function () {
    if (!session) return null;
    var api = session.api;
    return {
      version: session.version,
      calls: Object.assign({}, session.calls),
      set: session.set.slice(),
      refused: Object.assign({}, session.refused),
      cmi: JSON.parse(JSON.stringify(api.cmi)),
      lastError: String(api.lastErrorCode),
    };
  };
})();
