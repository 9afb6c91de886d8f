// Web chat page script: plain JavaScript, no build step, no dependencies.
// Rows come from GET /chat/api/history and the event stream; each has a seq (a decimal string)
// and the page keeps them in seq order. A message the person sends shows at once as pending,
// keyed by its client id, and takes its place when the server confirms it.
(function () {
  'use strict';

  var config = JSON.parse(document.getElementById('chat-config').textContent);
  var S = config.strings;

  var log = document.getElementById('log');
  var statusLine = document.getElementById('status');
  var formError = document.getElementById('form-error');
  var form = document.getElementById('composer');
  var input = document.getElementById('text');
  var photoButton = document.getElementById('photo-button');
  var photoInput = document.getElementById('photo-input');

  /** Elements by seq, and pending ones by client id. */
  var bySeq = new Map();
  var byClientId = new Map();
  var lastSeq = '0';
  var events = null;
  var reconnectDelay = 1000;
  var offlineTimer = null;
  var sessionLost = false;

  var currentLocale = config.locale;
  var timeFormat;
  var dateTimeFormat;
  function setTimeFormats(locale) {
    timeFormat = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit' });
    dateTimeFormat = new Intl.DateTimeFormat(locale, { month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit' });
  }
  setTimeFormats(currentLocale);

  /**
   * Shows the page's own words in `locale`: the person switched language in the conversation,
   * and the page follows at once rather than at the next reload. Messages already shown stay
   * as they were written.
   */
  function useLocale(locale) {
    var strings = config.locales && config.locales[locale];
    if (!strings || locale === currentLocale) return;
    currentLocale = locale;
    S = strings;
    document.documentElement.lang = locale;
    document.title = S.title;
    document.querySelector('.bar-heading').textContent = S.heading;
    document.querySelector('.bar-sub').textContent = S.subheading;
    log.setAttribute('aria-label', S.conversationLabel);
    document.querySelector('label[for="text"]').textContent = S.inputLabel;
    input.placeholder = S.placeholder;
    document.getElementById('send').textContent = S.send;
    photoButton.setAttribute('aria-label', S.photo);
    photoButton.title = S.photo;
    if (!statusLine.hidden) statusLine.textContent = S.reconnecting;
    setTimeFormats(locale);
  }

  // ---- helpers ------------------------------------------------------------------------------

  /** Compares two decimal seq strings without BigInt. */
  function compareSeq(a, b) {
    if (a.length !== b.length) return a.length < b.length ? -1 : 1;
    return a < b ? -1 : a > b ? 1 : 0;
  }

  /** A random id for a message; works without a secure context (plain http on a LAN). */
  function newClientId() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) { return (b + 0x100).toString(16).slice(1); }).join('');
    return hex.slice(0, 8) + '-' + hex.slice(8, 12) + '-' + hex.slice(12, 16) + '-' + hex.slice(16, 20) + '-' + hex.slice(20);
  }

  function format(template, vars) {
    return template.replace(/\{\{\s*(\w+)\s*\}\}/g, function (whole, name) {
      return vars && vars[name] !== undefined ? String(vars[name]) : whole;
    });
  }

  function nearBottom() {
    return log.scrollHeight - log.scrollTop - log.clientHeight < 80;
  }

  function scrollToEnd() {
    log.scrollTop = log.scrollHeight;
  }

  /** Runs a layout change that shrinks the conversation without losing its newest lines. */
  function keepingBottom(change) {
    var stick = nearBottom();
    change();
    if (stick) scrollToEnd();
  }

  function showError(text) {
    if (formError.textContent === text && formError.hidden === !text) return;
    keepingBottom(function () {
      formError.textContent = text;
      formError.hidden = !text;
    });
  }

  function isSameDay(date) {
    var now = new Date();
    return date.getFullYear() === now.getFullYear() && date.getMonth() === now.getMonth() && date.getDate() === now.getDate();
  }

  // ---- rendering ----------------------------------------------------------------------------

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  /** Builds the element of one message. Text goes in with textContent: never as HTML. */
  function buildMessage(row) {
    var mine = row.direction === 'in';
    var node = el('div', 'msg ' + (mine ? 'msg-in' : 'msg-out'));
    if (row.kind === 'choice') node.classList.add('is-choice');
    if (row.kind === 'photo') node.classList.add('msg-photo');
    node.dataset.direction = row.direction;
    node.dataset.kind = row.kind;
    if (row.clientId) node.dataset.clientId = row.clientId;

    node.appendChild(el('span', 'visually-hidden', (mine ? S.youName : S.botName) + ': '));
    var bubble = el('div', 'bubble');
    if (row.photoUrl || row.localPhotoUrl) {
      // The full-size photo opens in its own tab.
      var link = el('a', 'bubble-photo-link');
      link.href = row.localPhotoUrl || row.photoUrl;
      link.target = '_blank';
      link.rel = 'noopener';
      var img = el('img', 'bubble-photo');
      img.alt = S.photoAlt;
      img.src = row.localPhotoUrl || row.photoUrl;
      img.addEventListener('load', function () { if (nearBottom() || node === log.lastElementChild) scrollToEnd(); });
      link.appendChild(img);
      bubble.appendChild(link);
    }
    if (row.text) bubble.appendChild(el('p', 'bubble-text', row.text));
    if (row.documentUrl) {
      // A file sent with the message: a download under its name (this browser's session only).
      var file = el('a', 'bubble-file');
      file.href = row.documentUrl;
      file.setAttribute('download', row.documentName || '');
      file.appendChild(el('span', 'bubble-file-name', row.documentName || S.fileDownload));
      file.appendChild(el('span', 'visually-hidden', ' ' + S.fileDownload));
      bubble.appendChild(file);
    }
    node.appendChild(bubble);

    if (!mine && row.choices && row.choices.length) {
      var group = el('div', 'choices');
      group.setAttribute('role', 'group');
      group.setAttribute('aria-label', S.choicesLabel);
      row.choices.forEach(function (choice) {
        var button = el('button', 'choice-button', choice.label);
        button.type = 'button';
        button.addEventListener('click', function () { pressChoice(node, button, choice); });
        group.appendChild(button);
      });
      node.appendChild(group);
    }

    node.appendChild(el('div', 'meta'));
    setMeta(node, row);
    return node;
  }

  function setMeta(node, row) {
    var meta = node.querySelector('.meta');
    meta.textContent = '';
    node.classList.remove('is-failed');
    if (row.state === 'sending') {
      meta.textContent = S.sending;
    } else if (row.state === 'failed') {
      node.classList.add('is-failed');
      meta.appendChild(el('span', '', S.sendFailed));
      var retry = el('button', 'retry-button', S.retry);
      retry.type = 'button';
      retry.addEventListener('click', function () { if (node.retry) node.retry(); });
      meta.appendChild(retry);
    } else if (row.at) {
      var at = new Date(row.at);
      var time = el('time', '', (isSameDay(at) ? timeFormat : dateTimeFormat).format(at));
      time.dateTime = row.at;
      meta.appendChild(time);
    }
  }

  /** Puts a confirmed element at its place by seq (pending ones stay at the end). */
  function place(node, seq) {
    node.dataset.seq = seq;
    var before = null;
    for (var child = log.lastElementChild; child; child = child.previousElementSibling) {
      if (!child.dataset.seq) { before = child; continue; }
      if (compareSeq(child.dataset.seq, seq) > 0) { before = child; continue; }
      break;
    }
    if (node.nextElementSibling !== before || node.parentNode !== log) log.insertBefore(node, before);
  }

  /** Adds or confirms one row from the server. */
  function applyRow(row) {
    if (bySeq.has(row.seq)) return;
    // An edit of an earlier message (a sender's progress): the old one goes, the new one shows.
    if (row.replaces && bySeq.has(row.replaces)) {
      var old = bySeq.get(row.replaces);
      bySeq.delete(row.replaces);
      if (old.parentNode) old.parentNode.removeChild(old);
    }
    var stick = nearBottom() || row.direction === 'in';
    var node = row.clientId ? byClientId.get(row.clientId) : undefined;
    if (node) {
      byClientId.delete(row.clientId);
      node.retry = null;
      setMeta(node, row);
    } else {
      node = buildMessage(row);
    }
    bySeq.set(row.seq, node);
    place(node, row.seq);
    // The newest bot message carries the person's language: the page's words follow it.
    if (row.direction === 'out' && row.locale && compareSeq(row.seq, lastSeq) > 0) useLocale(row.locale);
    if (compareSeq(row.seq, lastSeq) > 0) lastSeq = row.seq;
    updateChoices();
    if (stick) scrollToEnd();
  }

  /** Shows a message the person just sent, before the server confirms it. */
  function addPending(row) {
    row.state = 'sending';
    var node = buildMessage(row);
    byClientId.set(row.clientId, node);
    log.appendChild(node);
    updateChoices();
    scrollToEnd();
    return node;
  }

  function removePending(clientId) {
    var node = byClientId.get(clientId);
    if (!node) return;
    byClientId.delete(clientId);
    node.remove();
    updateChoices();
  }

  /**
   * Only the newest set of choices can be pressed, and only until one of its buttons was
   * pressed; the pressed one stays marked so the history reads right after a reload.
   */
  function updateChoices() {
    var messages = log.querySelectorAll('.msg');
    var newestSet = null;
    var answer = null;
    for (var i = messages.length - 1; i >= 0; i--) {
      var m = messages[i];
      if (m.dataset.direction === 'out' && m.querySelector('.choices')) { newestSet = m; break; }
      if (m.dataset.direction === 'in' && m.dataset.kind === 'choice' && !answer) answer = m;
    }
    var sets = log.querySelectorAll('.choices');
    for (var j = 0; j < sets.length; j++) {
      var set = sets[j];
      var owner = set.parentNode;
      var open = owner === newestSet && !answer;
      var chosenLabel = null;
      if (!open) {
        var next = owner.nextElementSibling;
        while (next && !(next.dataset.direction === 'out' && next.querySelector('.choices'))) {
          if (next.dataset.kind === 'choice') { chosenLabel = next.querySelector('.bubble-text').textContent; break; }
          next = next.nextElementSibling;
        }
      }
      var buttons = set.querySelectorAll('button');
      for (var k = 0; k < buttons.length; k++) {
        buttons[k].disabled = !open;
        var chosen = chosenLabel !== null && buttons[k].textContent === chosenLabel;
        buttons[k].classList.toggle('is-chosen', chosen);
        if (!open) buttons[k].setAttribute('aria-pressed', chosen ? 'true' : 'false');
        else buttons[k].removeAttribute('aria-pressed');
      }
    }
  }

  // ---- sending ------------------------------------------------------------------------------

  /**
   * Sends with the same client id until the server answers: network errors and 5xx retry a
   * few times by themselves, then the person can press retry. A refusal (4xx) is shown.
   */
  function deliver(node, clientId, request) {
    var attempt = 0;
    function run() {
      setMeta(node, { state: 'sending' });
      request()
        .then(function (response) {
          return response.json().catch(function () { return {}; }).then(function (body) {
            return { status: response.status, body: body };
          });
        })
        .then(function (result) {
          if (result.status >= 200 && result.status < 300) {
            showError('');
            applyRow(result.body.row);
            // The event stream may have confirmed it first; the answer still clears the state.
            setMeta(bySeq.get(result.body.row.seq) || node, result.body.row);
          } else if (result.status >= 500) {
            retryLater(result.body.message);
          } else {
            refused(result);
          }
        }, function () {
          retryLater(S.errorNetwork);
        });
    }
    function retryLater(message) {
      attempt += 1;
      if (attempt < 3) { setTimeout(run, attempt * 1500); return; }
      attempt = 0;
      setMeta(node, { state: 'failed' });
      if (message) showError(message);
    }
    function refused(result) {
      showError(result.body.message || S.errorNetwork);
      if (result.status === 401) sessionLost = true;
      var row = node.pendingRow;
      removePending(clientId);
      // Give the person their text back so a too-long message can be shortened.
      if (row && row.kind === 'text' && !input.value) { input.value = row.text; resizeInput(); }
    }
    node.retry = function () { attempt = 0; run(); };
    run();
  }

  function postJson(url, body) {
    return fetch(url, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body)
    });
  }

  function sendText(text) {
    var clientId = newClientId();
    var row = { direction: 'in', kind: 'text', text: text, clientId: clientId };
    var node = addPending(row);
    node.pendingRow = row;
    deliver(node, clientId, function () { return postJson('/chat/api/messages', { id: clientId, text: text }); });
  }

  function pressChoice(owner, button, choice) {
    if (button.disabled) return;
    var clientId = newClientId();
    var row = { direction: 'in', kind: 'choice', text: choice.label, clientId: clientId };
    var node = addPending(row);
    node.pendingRow = row;
    deliver(node, clientId, function () {
      return postJson('/chat/api/messages', { id: clientId, choice: { data: choice.data, label: choice.label } });
    });
  }

  /** Large phone photos are scaled down (and lose their location metadata) before upload. */
  function preparePhoto(file) {
    var MAX_SIDE = 1600;
    if (!window.createImageBitmap) return Promise.resolve(file);
    return createImageBitmap(file).then(function (bitmap) {
      var scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
      var canvas = document.createElement('canvas');
      canvas.width = Math.round(bitmap.width * scale);
      canvas.height = Math.round(bitmap.height * scale);
      canvas.getContext('2d').drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      if (bitmap.close) bitmap.close();
      return new Promise(function (resolve) {
        canvas.toBlob(function (blob) { resolve(blob || file); }, 'image/jpeg', 0.85);
      });
    }, function () { return file; });
  }

  function sendPhoto(file) {
    preparePhoto(file).then(function (blob) {
      if (['image/jpeg', 'image/png', 'image/webp'].indexOf(blob.type) < 0) { showError(S.errorPhotoType); return; }
      if (blob.size > config.maxPhotoBytes) { showError(S.errorPhotoTooLarge); return; }
      var clientId = newClientId();
      var row = { direction: 'in', kind: 'photo', clientId: clientId, localPhotoUrl: URL.createObjectURL(blob) };
      var node = addPending(row);
      node.pendingRow = row;
      deliver(node, clientId, function () {
        return fetch('/chat/api/photos?id=' + encodeURIComponent(clientId), {
          method: 'POST',
          credentials: 'same-origin',
          headers: { 'content-type': blob.type },
          body: blob
        });
      });
    });
  }

  // ---- receiving ----------------------------------------------------------------------------

  function setOnline(online) {
    if (online) {
      clearTimeout(offlineTimer);
      offlineTimer = null;
      keepingBottom(function () {
        statusLine.hidden = true;
        statusLine.textContent = '';
      });
      return;
    }
    // A short blip (a proxy recycling the stream) should not flash a warning.
    if (offlineTimer || !statusLine.hidden) return;
    offlineTimer = setTimeout(function () {
      offlineTimer = null;
      keepingBottom(function () {
        statusLine.textContent = S.reconnecting;
        statusLine.hidden = false;
      });
    }, 1500);
  }

  function connect() {
    if (events) events.close();
    events = new EventSource('/chat/api/events?after=' + encodeURIComponent(lastSeq));
    events.onopen = function () {
      reconnectDelay = 1000;
      setOnline(true);
    };
    events.onmessage = function (event) {
      try { applyRow(JSON.parse(event.data)); } catch (e) { /* a broken event must not stop the rest */ }
    };
    events.onerror = function () {
      setOnline(false);
      // The browser retries by itself unless the server refused the stream; then we do.
      if (events.readyState === EventSource.CLOSED) {
        events.close();
        events = null;
        if (sessionLost) return;
        setTimeout(reconnectWithHistory, reconnectDelay);
        reconnectDelay = Math.min(reconnectDelay * 2, 30000);
      }
    };
  }

  function reconnectWithHistory() {
    fetch('/chat/api/history?after=' + encodeURIComponent(lastSeq), { credentials: 'same-origin' })
      .then(function (response) {
        if (response.status === 401) {
          sessionLost = true;
          return response.json().then(function (body) { showError(body.message || S.errorSession); });
        }
        if (!response.ok) throw new Error('history ' + response.status);
        return response.json().then(function (body) { body.rows.forEach(applyRow); connect(); });
      })
      .catch(function () {
        setTimeout(reconnectWithHistory, reconnectDelay);
        reconnectDelay = Math.min(reconnectDelay * 2, 30000);
      });
  }

  function start() {
    fetch('/chat/api/history', { credentials: 'same-origin' })
      .then(function (response) {
        if (response.status === 401) {
          sessionLost = true;
          return response.json().then(function (body) { showError(body.message || S.errorSession); });
        }
        if (!response.ok) throw new Error('history ' + response.status);
        return response.json().then(function (body) {
          body.rows.forEach(applyRow);
          scrollToEnd();
          connect();
          // An empty conversation: ask the bot to greet (the server makes this idempotent).
          if (body.rows.length === 0) postJson('/chat/api/start', {}).catch(function () {});
        });
      })
      .catch(function () {
        setOnline(false);
        setTimeout(start, reconnectDelay);
        reconnectDelay = Math.min(reconnectDelay * 2, 30000);
      });
  }

  // ---- composer -----------------------------------------------------------------------------

  function resizeInput() {
    keepingBottom(function () {
      input.style.height = 'auto';
      input.style.height = Math.min(input.scrollHeight + 2, 160) + 'px';
    });
  }

  function submitText() {
    var text = input.value;
    if (!text.trim()) { input.focus(); return; }
    if (Array.from(text).length > config.maxTextLength) {
      showError(format(S.errorTooLong, { max: config.maxTextLength }));
      return;
    }
    showError('');
    input.value = '';
    resizeInput();
    sendText(text);
    input.focus();
  }

  form.addEventListener('submit', function (event) {
    event.preventDefault();
    submitText();
  });

  input.addEventListener('keydown', function (event) {
    // Enter while an input method is composing (pinyin) picks a candidate: never send then.
    if (event.isComposing || event.keyCode === 229) return;
    if (event.key === 'Enter' && !event.shiftKey) {
      event.preventDefault();
      submitText();
    }
  });
  input.addEventListener('input', function () {
    resizeInput();
    // A refusal is about the text as it was; editing it answers the refusal.
    if (!sessionLost) showError('');
  });

  photoButton.addEventListener('click', function () { photoInput.click(); });
  photoInput.addEventListener('change', function () {
    var file = photoInput.files && photoInput.files[0];
    photoInput.value = '';
    if (file) sendPhoto(file);
  });

  // Keep the newest message in view when the page changes size (a phone's keyboard opening,
  // a window resized) if the person was reading the end of the conversation.
  var followingEnd = true;
  log.addEventListener('scroll', function () { followingEnd = nearBottom(); }, { passive: true });
  if (window.ResizeObserver) {
    new ResizeObserver(function () { if (followingEnd) scrollToEnd(); }).observe(log);
  } else {
    window.addEventListener('resize', function () { if (followingEnd) scrollToEnd(); });
  }

  window.addEventListener('online', function () { if (!events && !sessionLost) reconnectWithHistory(); });
  window.addEventListener('offline', function () { setOnline(false); });

  start();
})();
