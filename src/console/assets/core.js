// @ts-check
// Shared by every signed-in page: the admin API client (session cookie + X-CSRF-Token) and DOM helpers.
// Served as is from /console/assets (see console-assets.ts): plain browser JavaScript, no build step.
/* ACQP console core: the admin API client, DOM helpers, formatting. No framework, no inline HTML from data. */
(function () {
  'use strict';

  var meta = document.querySelector('meta[name="csrf-token"]');
  var csrf = meta ? meta.getAttribute('content') : '';

  /** Calls the admin API with the session cookie and this session's CSRF token; rejects with the API's message. */
  function api(method, path, body) {
    var headers = { Accept: 'application/json', 'X-CSRF-Token': csrf };
    /** @type {RequestInit} */
    var init = { method: method, headers: headers, credentials: 'same-origin', cache: 'no-store' };
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    return fetch(path, init).then(function (res) {
      if (res.status === 401) {
        window.location.assign('/console/login');
        throw new Error('your session has ended; log in again');
      }
      return res.text().then(function (text) {
        var json;
        try {
          json = text ? JSON.parse(text) : null;
        } catch (e) {
          json = null;
        }
        if (!res.ok) {
          var message = json && json.error ? json.error.message + ' (' + json.error.code + ')' : 'HTTP ' + res.status;
          throw new Error(message);
        }
        return json;
      });
    });
  }

  /** Builds an element: attrs as properties or attributes, children as nodes or text (never parsed as HTML). */
  function h(tag, attrs, children) {
    var el = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) {
        var v = attrs[k];
        if (v === undefined || v === null || v === false) return;
        if (k === 'class') el.className = v;
        else if (k === 'text') el.textContent = v;
        else if (k.indexOf('on') === 0 && typeof v === 'function') el.addEventListener(k.slice(2), v);
        else if (v === true) el.setAttribute(k, '');
        else el.setAttribute(k, String(v));
      });
    }
    append(el, children);
    return el;
  }

  function append(el, children) {
    if (children === undefined || children === null) return el;
    (Array.isArray(children) ? children : [children]).forEach(function (c) {
      if (c === undefined || c === null || c === false) return;
      el.appendChild(typeof c === 'object' ? c : document.createTextNode(String(c)));
    });
    return el;
  }

  function clear(el) {
    while (el.firstChild) el.removeChild(el.firstChild);
    return el;
  }

  function pad(n, w) {
    var s = String(n);
    while (s.length < (w || 2)) s = '0' + s;
    return s;
  }

  /** "2026-05-01 12:34:56" in the browser's time zone. */
  function localTime(iso) {
    var d = new Date(iso);
    return (
      d.getFullYear() + '-' + pad(d.getMonth() + 1) + '-' + pad(d.getDate()) + ' ' + pad(d.getHours()) + ':' + pad(d.getMinutes()) + ':' + pad(d.getSeconds())
    );
  }

  /** A <time> element: local time shown, UTC in its datetime and title. */
  function time(iso) {
    if (!iso) return h('span', { class: 'hint', text: 'never' });
    return h('time', { datetime: iso, title: iso + ' (UTC)', text: localTime(iso) });
  }

  /** A datetime-local input value (local time) as ISO 8601 UTC, or undefined. */
  function isoFromLocal(value) {
    if (!value) return undefined;
    var d = new Date(value);
    return isNaN(d.getTime()) ? undefined : d.toISOString();
  }

  /** An ISO time as a datetime-local value (local time, seconds). */
  function localInputValue(iso) {
    var d = new Date(iso);
    if (isNaN(d.getTime())) return '';
    return (
      d.getFullYear() + '-' + pad(d.getMonth() + 1) + '-' + pad(d.getDate()) + 'T' + pad(d.getHours()) + ':' + pad(d.getMinutes()) + ':' + pad(d.getSeconds())
    );
  }

  var GOOD = ['ACTIVE', 'DELIVERED', 'SUCCEEDED', 'APPLIED', 'S', 'SUCCESS', 'VALID'];
  var BAD = ['DISABLED', 'FAILED', 'F', 'CANCELED', 'REJECTED'];
  /** A status as text in a badge: the word carries the meaning, the colour only repeats it. */
  function badge(status) {
    var s = status === null || status === undefined ? 'none' : String(status);
    var tone = GOOD.indexOf(s) >= 0 ? 'ok' : BAD.indexOf(s) >= 0 ? 'bad' : s === 'none' ? 'neutral' : 'warn';
    return h('span', { class: 'badge ' + tone, text: s });
  }

  /** First 8 characters of an id, the whole one in a tooltip and for screen readers. */
  function shortId(id) {
    return h('span', { class: 'mono', title: id }, [id.slice(0, 8), h('span', { class: 'visually-hidden', text: id.slice(8) })]);
  }

  function flash(message) {
    var alert = document.getElementById('alert');
    if (alert) alert.textContent = '';
    var el = document.getElementById('flash');
    if (el) el.textContent = message;
  }

  function fail(err) {
    var flashEl = document.getElementById('flash');
    if (flashEl) flashEl.textContent = '';
    var el = document.getElementById('alert');
    if (el) el.textContent = 'Error: ' + (err && err.message ? err.message : String(err));
  }

  /** A form's fields as an object: trimmed strings, empty ones left out, checkbox groups as arrays. */
  function formValues(form) {
    var out = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.disabled) return;
      if (el.type === 'checkbox') {
        if (!out[el.name]) out[el.name] = [];
        if (el.checked) out[el.name].push(el.value);
        return;
      }
      var v = typeof el.value === 'string' ? el.value.trim() : el.value;
      if (v !== '') out[el.name] = v;
    });
    return out;
  }

  /** Runs an action from a button or form: disabled while in flight, errors shown in the alert region. */
  function busy(control, action) {
    if (control) control.disabled = true;
    return Promise.resolve()
      .then(action)
      .catch(fail)
      .then(function () {
        if (control) control.disabled = false;
      });
  }

  function onSubmit(form, action) {
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      var button = form.querySelector('button[type="submit"]');
      busy(button, function () {
        return action(formValues(form), form);
      });
    });
  }

  /** @param {string} id @returns {HTMLInputElement} */
  function input(id) {
    return /** @type {HTMLInputElement} */ (document.getElementById(id));
  }

  function searchParams() {
    return new URLSearchParams(window.location.search);
  }

  /**
   * Shows the filters in force in a GET filter form: they live in the address, so a filtered view can be shared.
   * @param {string} formSelector @param {URLSearchParams} params @param {string[]} names
   */
  function showFilters(formSelector, params, names) {
    names.forEach(function (name) {
      var el = /** @type {HTMLInputElement | null} */ (document.querySelector(formSelector + ' [name="' + name + '"]'));
      if (el && params.get(name)) el.value = params.get(name);
    });
  }

  function qs(params) {
    var p = new URLSearchParams();
    Object.keys(params).forEach(function (k) {
      if (params[k] !== undefined && params[k] !== null && params[k] !== '') p.set(k, params[k]);
    });
    var s = p.toString();
    return s ? '?' + s : '';
  }

  /** Moves focus to a heading or region that just appeared, so keyboard and screen-reader users land on it. */
  function focus(el) {
    if (!el) return;
    if (!el.hasAttribute('tabindex')) el.setAttribute('tabindex', '-1');
    el.focus();
  }

  // Logout: a POST with the CSRF header, then back to the login page. The form posts itself without JavaScript.
  var logout = document.getElementById('logout-form');
  if (logout) {
    onSubmit(logout, function () {
      return fetch('/console/logout', { method: 'POST', headers: { 'X-CSRF-Token': csrf }, credentials: 'same-origin' }).then(function () {
        window.location.assign('/console/login');
      });
    });
  }

  window.ConsoleUI = {
    api: api,
    h: h,
    append: append,
    clear: clear,
    time: time,
    localTime: localTime,
    isoFromLocal: isoFromLocal,
    localInputValue: localInputValue,
    badge: badge,
    shortId: shortId,
    flash: flash,
    fail: fail,
    formValues: formValues,
    busy: busy,
    onSubmit: onSubmit,
    input: input,
    searchParams: searchParams,
    showFilters: showFilters,
    qs: qs,
    focus: focus,
    pad: pad,
  };
})();
