// @ts-check
// The audit trail page.
// Served as is from /console/assets (see console-assets.ts): plain browser JavaScript, no build step.
/* Audit trail: every operator write, newest first, filtered by operator and time. */
(function () {
  'use strict';
  var ui = window.ConsoleUI;
  var h = ui.h;
  var params = ui.searchParams();
  var filter = {
    actor: params.get('actor') || undefined,
    since: ui.isoFromLocal(params.get('since')),
    until: ui.isoFromLocal(params.get('until')),
  };
  var cursor = null;
  var tbody = document.querySelector('#audit-table tbody');
  var more = document.getElementById('audit-more');
  var empty = document.getElementById('audit-empty');

  ui.showFilters('#audit-filter', params, ['actor', 'since', 'until']);

  function row(e) {
    return h('tr', null, [
      h('td', null, ui.time(e.at)),
      h('td', null, [h('strong', { text: e.actor }), h('div', { class: 'hint', text: e.role })]),
      h('td', { class: 'mono' }, e.action),
      h('td', { class: 'mono' }, e.target || ''),
      h('td', null, String(e.status)),
      h('td', { class: 'mono' }, e.ip),
    ]);
  }

  function load(reset) {
    if (reset) {
      cursor = null;
      ui.clear(tbody);
    }
    var q = { limit: 50, cursor: cursor, actor: filter.actor, since: filter.since, until: filter.until };
    return ui.api('GET', '/admin/v1/audit' + ui.qs(q)).then(function (page) {
      page.items.forEach(function (e) {
        tbody.appendChild(row(e));
      });
      empty.hidden = !(reset && page.items.length === 0);
      cursor = page.nextCursor;
      more.hidden = !cursor;
    });
  }
  more.addEventListener('click', function () {
    ui.busy(more, function () {
      return load(false);
    });
  });
  load(true).catch(ui.fail);
})();
