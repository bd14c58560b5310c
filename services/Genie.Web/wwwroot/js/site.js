// Small progressive enhancements. Every page works without this file.
(function () {
  "use strict";

  // Mobile navigation toggle.
  document.addEventListener("click", function (event) {
    var toggle = event.target.closest("[data-nav-toggle]");
    if (toggle) {
      var open = document.body.classList.toggle("nav-open");
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && document.body.classList.contains("nav-open")) {
      document.body.classList.remove("nav-open");
      var toggle = document.querySelector("[data-nav-toggle]");
      if (toggle) { toggle.setAttribute("aria-expanded", "false"); toggle.focus(); }
    }
  });

  // Copy buttons: data-copy="#selector".
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy]");
    if (!button) return;
    var source = document.querySelector(button.getAttribute("data-copy"));
    if (!source) return;
    var text = source.textContent.trim();
    var done = function () {
      var label = button.textContent;
      button.textContent = "Copied";
      setTimeout(function () { button.textContent = label; }, 1500);
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done);
    } else {
      var range = document.createRange();
      range.selectNodeContents(source);
      var selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      try { document.execCommand("copy"); done(); } catch (e) { /* the text stays selected for a manual copy */ }
    }
  });

  // Confirmation for destructive forms: data-confirm="question".
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) event.preventDefault();
  });

  // Server-Sent Events over fetch: a POST (so the anti-forgery token travels in the form body) whose
  // response is text/event-stream. Aborting the signal closes the request, which cancels the call behind it.
  function streamEvents(url, body, onEvent, signal) {
    return fetch(url, {
      method: "POST",
      body: body,
      headers: { "Accept": "text/event-stream" },
      credentials: "same-origin",
      signal: signal
    }).then(function (response) {
      // Past the chat limits the portal answers 429 with a plain sentence saying when to try again.
      if (response.status === 429) return response.text().then(function (text) { throw new Error(text); });
      if (!response.ok || !response.body) throw new Error("The server answered " + response.status + ".");
      var reader = response.body.getReader();
      var decoder = new TextDecoder();
      var buffer = "";
      function dispatch(block) {
        var name = "message", data = [];
        block.split("\n").forEach(function (line) {
          if (line.indexOf("event:") === 0) name = line.slice(6).trim();
          else if (line.indexOf("data:") === 0) data.push(line.slice(5).replace(/^ /, ""));
        });
        if (data.length) onEvent(name, JSON.parse(data.join("\n")));
      }
      function pump() {
        return reader.read().then(function (chunk) {
          if (chunk.done) { if (buffer.trim()) dispatch(buffer); return; }
          buffer += decoder.decode(chunk.value, { stream: true }).replace(/\r\n/g, "\n");
          var end;
          while ((end = buffer.indexOf("\n\n")) >= 0) {
            dispatch(buffer.slice(0, end));
            buffer = buffer.slice(end + 2);
          }
          return pump();
        });
      }
      return pump();
    });
  }
  window.genieStream = streamEvents;

  // Forms with data-stream run as a stream and report progress into data-stream-target:
  // events carry {done, total, message|stage, summary}; "done" and "failed" end the run.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute || !form.hasAttribute("data-stream") || event.defaultPrevented) return;
    var target = document.querySelector(form.getAttribute("data-stream-target"));
    if (!target || !window.fetch || !window.TextDecoder) return; // plain post: the server runs it to the end
    event.preventDefault();
    var button = form.querySelector("button[type=submit]");
    var bar = target.querySelector("progress");
    var text = target.querySelector("[data-stream-text]");
    target.hidden = false;
    target.removeAttribute("data-state");
    if (button) button.disabled = true;
    if (bar) bar.removeAttribute("value");
    text.textContent = "Starting…";
    var finish = function (state, message) {
      if (state !== "failed") refreshLive();
      target.setAttribute("data-state", state);
      text.textContent = message;
      if (bar) { bar.max = 1; bar.value = state === "failed" ? 0 : 1; }
      if (button) button.disabled = false;
      var refresh = document.createElement("a");
      refresh.href = window.location.pathname + window.location.search;
      refresh.textContent = " Refresh the page";
      refresh.className = "stream-refresh";
      text.appendChild(refresh);
    };
    streamEvents(form.action, new FormData(form), function (name, data) {
      if (name === "failed") { finish("failed", data.message); return; }
      if (name === "done") { finish(data.state, data.summary || data.message || "Done."); return; }
      if (bar && data.total > 0) { bar.max = data.total; bar.value = data.done; }
      text.textContent = (data.message || data.stage || "Working") + (data.total > 0 ? " (" + data.done + "/" + data.total + ")" : "");
    }).catch(function (error) { finish("failed", error.message); });
  });

  // The question's one limit (data-max-length, the server's), counted as the person types; nothing typed is cut.
  function questionProblem(input, question) {
    var max = parseInt(input.getAttribute("data-max-length"), 10);
    if (!question) return "Type a question first.";
    if (max && question.length > max)
      return "Questions can be at most " + max.toLocaleString("en-US") + " characters; this one has " + question.length.toLocaleString("en-US") + ". Shorten it and send it again.";
    return null;
  }
  function showQuestionProblem(form, problem) {
    var box = form.querySelector("[data-chat-problem]");
    if (!box) return;
    box.textContent = problem || "";
    box.hidden = !problem;
  }
  function countQuestion(input) {
    var form = input.form;
    var count = form && form.querySelector("[data-chat-count]");
    var max = parseInt(input.getAttribute("data-max-length"), 10);
    if (!count || !max) return;
    var length = input.value.trim().length;
    count.textContent = length.toLocaleString("en-US") + " / " + max.toLocaleString("en-US");
    count.classList.toggle("error-text", length > max);
    if (length <= max && length > 0) showQuestionProblem(form, null);
  }
  document.addEventListener("input", function (event) {
    if (event.target.hasAttribute && event.target.hasAttribute("data-max-length")) countQuestion(event.target);
  });
  document.querySelectorAll("textarea[data-max-length]").forEach(countQuestion);
  // File inputs with data-max-bytes say which file is too large before anything is uploaded.
  function megabytes(bytes) { return (Math.round(bytes / 1024 / 1024 * 10) / 10) + " MB"; }
  function fileProblem(input) {
    var max = parseInt(input.getAttribute("data-max-bytes"), 10);
    var files = Array.prototype.slice.call(input.files || []);
    var big = files.filter(function (f) { return f.size > max; })[0];
    return big ? big.name + " is " + megabytes(big.size) + "; files can be at most " + megabytes(max) + "." : null;
  }
  function showFileProblem(input) {
    var problem = fileProblem(input);
    var box = input.form && input.form.querySelector("[data-file-problem]");
    if (box) { box.textContent = problem || ""; box.hidden = !problem; }
    return problem;
  }
  document.addEventListener("change", function (event) {
    if (event.target.hasAttribute && event.target.hasAttribute("data-max-bytes")) showFileProblem(event.target);
  });
  document.addEventListener("submit", function (event) {
    var input = event.target.querySelector && event.target.querySelector("input[data-max-bytes]");
    if (input && showFileProblem(input)) event.preventDefault();
  });

  // After a streamed run ends, the parts of the page marked data-live are read again from the server,
  // so a source's status and counts and the documents list are current without a reload.
  function refreshLive() {
    return fetch(window.location.pathname + window.location.search, { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (!html) return;
        var fresh = new DOMParser().parseFromString(html, "text/html");
        document.querySelectorAll("[data-live]").forEach(function (element) {
          var key = element.getAttribute("data-live");
          var replacement = fresh.querySelector('[data-live="' + CSS.escape(key) + '"]');
          if (replacement) element.replaceWith(document.importNode(replacement, true));
        });
      });
  }

  // Chat: the answer streams in as text, then the server's rendered Markdown replaces it.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute || !form.hasAttribute("data-chat") || event.defaultPrevented) return;
    if (!window.fetch || !window.TextDecoder || !window.AbortController) return;
    var input = form.querySelector("textarea[name=message]");
    var question = input.value.trim();
    event.preventDefault();
    var problem = questionProblem(input, question);
    showQuestionProblem(form, problem);
    if (problem) { input.focus(); return; }
    var thread = document.querySelector("[data-thread]");
    var empty = thread.querySelector("[data-thread-empty]");
    if (empty) empty.remove();
    var conversation = form.querySelector("[data-chat-conversation]");
    var send = form.querySelector("[data-chat-send]");
    var stop = form.querySelector("[data-chat-stop]");
    var body = new FormData(form);

    var asked = document.createElement("li");
    asked.className = "msg msg-user";
    var askedText = document.createElement("p");
    askedText.className = "msg-text";
    askedText.textContent = question;
    asked.appendChild(askedText);
    thread.appendChild(asked);

    var answer = document.createElement("li");
    answer.className = "msg msg-assistant";
    answer.setAttribute("data-streaming", "true");
    var notice = document.createElement("p");
    notice.className = "small muted";
    notice.hidden = true;
    var text = document.createElement("div");
    text.className = "msg-body msg-streaming";
    text.textContent = "…";
    var sources = document.createElement("div");
    answer.appendChild(notice);
    answer.appendChild(text);
    answer.appendChild(sources);
    thread.appendChild(answer);
    answer.scrollIntoView({ block: "end" });

    input.value = "";
    var controller = new AbortController();
    var received = "";
    send.disabled = true;
    stop.hidden = false;
    var stopHandler = function () { controller.abort(); };
    stop.addEventListener("click", stopHandler);
    // A conversation the question just started joins the top of the list, as a reload would show it.
    var listConversation = function (id, title) {
      var list = document.querySelector("[data-test=conversations]");
      if (!list) return;
      var emptyList = document.querySelector("[data-conversations-empty]");
      if (emptyList) emptyList.hidden = true;
      list.querySelectorAll("li.active").forEach(function (li) { li.classList.remove("active"); });
      var url = new URL(window.location.href);
      url.searchParams.set("c", id);
      var item = document.createElement("li");
      item.className = "active";
      item.setAttribute("data-conversation", id);
      var link = document.createElement("a");
      link.href = url.pathname + url.search;
      link.setAttribute("aria-current", "page");
      var name = document.createElement("span");
      name.className = "chat-list-title";
      name.textContent = title.length > 80 ? title.slice(0, 79) + "…" : title;
      var when = document.createElement("span");
      when.className = "small muted";
      when.textContent = new Date().toISOString().slice(0, 16).replace("T", " ") + " UTC";
      link.appendChild(name);
      link.appendChild(when);
      item.appendChild(link);
      list.insertBefore(item, list.firstChild);
    };
    // The answer failed: say why, and put the question back in the box so nothing typed is lost.
    var showError = function (message) {
      var alert = document.createElement("div");
      alert.className = "alert alert-error";
      alert.setAttribute("role", "alert");
      alert.setAttribute("data-test", "chat-error");
      alert.textContent = message + " Your question is back in the box: send it again when you are ready.";
      answer.appendChild(alert);
      asked.setAttribute("data-unsent", "true");
      if (!input.value.trim()) input.value = question;
    };
    var end = function () {
      send.disabled = false;
      stop.hidden = true;
      stop.removeEventListener("click", stopHandler);
      answer.removeAttribute("data-streaming");
      input.focus();
    };
    window.genieStream(form.action, body, function (name, data) {
      if (name === "started") {
        if (!conversation.value) listConversation(data.conversationId, question);
        conversation.value = data.conversationId;
        answer.setAttribute("data-message", data.messageId);
        var url = new URL(window.location.href);
        url.searchParams.set("c", data.conversationId);
        window.history.replaceState(null, "", url.toString());
      } else if (name === "delta") {
        received += data.text;
        text.textContent = received;
      } else if (name === "fallback") {
        received = "";
        text.textContent = "…";
        notice.textContent = "Answered by the built-in answerer: " + data.reason;
        notice.hidden = false;
      } else if (name === "citations") {
        sources.innerHTML = data.html; // built on the server with every value encoded
      } else if (name === "completed") {
        answer.setAttribute("data-message", data.messageId);
        var template = document.getElementById("feedback-template");
        if (template) {
          var feedback = document.importNode(template.content, true).firstElementChild;
          feedback.querySelector("input[name=messageId]").value = data.messageId;
          var action = feedback.getAttribute("action");
          feedback.setAttribute("action", action + (action.indexOf("?") >= 0 ? "&" : "?") + "c=" + encodeURIComponent(data.conversationId));
          answer.appendChild(feedback);
        }
      } else if (name === "answer") {
        text.classList.remove("msg-streaming");
        text.classList.add("markdown");
        text.innerHTML = data.html; // Markdown rendered on the server with raw HTML disabled
        sources.innerHTML = data.citationsHtml;
      } else if (name === "error") {
        if (!received) text.remove();
        showError(data.message);
      }
    }, controller.signal).then(end, function (error) {
      if (error && error.name === "AbortError") {
        var stopped = document.createElement("p");
        stopped.className = "small muted";
        stopped.textContent = "Stopped.";
        answer.appendChild(stopped);
      } else {
        showError(error.message);
      }
      end();
    });
  });

  // Thumbs up/down without leaving the page.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute || !form.hasAttribute("data-feedback") || !window.fetch) return;
    event.preventDefault();
    var submitter = event.submitter;
    var body = new FormData(form);
    if (submitter && submitter.name) body.append(submitter.name, submitter.value);
    fetch(form.action, { method: "POST", body: body, headers: { "Accept": "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (result) {
        if (!result.ok) throw new Error(result.message);
        form.querySelectorAll("button[name=rating]").forEach(function (b) {
          b.setAttribute("aria-pressed", b.value === result.rating ? "true" : "false");
        });
        form.removeAttribute("data-error");
      })
      .catch(function (error) { form.setAttribute("data-error", error.message); form.title = error.message; });
  });
})();
