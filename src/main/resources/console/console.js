// kyc-webhook-router console: plain JavaScript, no build step, no library. Every page reads the operator API
// (/api/...) with the session cookie; every call that changes something sends the session's CSRF token. Text from
// the API is always set as text (never as HTML).
(function () {
  'use strict';

  var csrf = null;
  var csrfHeader = 'X-CSRF-Token';
  var vendors = [];
  var page = document.getElementById('page');
  var banner = document.getElementById('banner');

  // ---- helpers ------------------------------------------------------------------------------------------------
  function el(tag, attrs) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) {
        if (k === 'text') { node.textContent = attrs[k]; }
        else if (k === 'className') { node.className = attrs[k]; }
        else if (k.indexOf('on') === 0) { node.addEventListener(k.substring(2), attrs[k]); }
        else if (attrs[k] !== null && attrs[k] !== undefined && attrs[k] !== false) { node.setAttribute(k, attrs[k]); }
      });
    }
    for (var i = 2; i < arguments.length; i++) { append(node, arguments[i]); }
    return node;
  }
  function append(node, child) {
    if (child === null || child === undefined || child === false) { return; }
    if (Array.isArray(child)) { child.forEach(function (c) { append(node, c); }); return; }
    node.appendChild(typeof child === 'object' ? child : document.createTextNode(String(child)));
  }
  function svg(tag, attrs) {
    var node = document.createElementNS('http://www.w3.org/2000/svg', tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === 'text') { node.textContent = attrs[k]; } else { node.setAttribute(k, attrs[k]); }
    });
    return node;
  }
  function time(iso) {
    if (!iso) { return '-'; }
    var d = new Date(iso);
    return isNaN(d.getTime()) ? String(iso) : d.toISOString().replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC');
  }
  function age(seconds) {
    if (!seconds) { return '-'; }
    if (seconds < 120) { return seconds + ' s'; }
    if (seconds < 7200) { return Math.round(seconds / 60) + ' min'; }
    return Math.round(seconds / 3600) + ' h';
  }
  function badge(text, kind) { return el('span', { className: 'badge ' + (kind || ''), text: text }); }
  function statusBadge(status) {
    var kind = status === 'APPROVED' ? 'good' : status === 'REJECTED' ? 'bad'
      : status === 'UNKNOWN' || status === 'RESUBMISSION_REQUIRED' || status === 'ON_HOLD' ? 'warn' : '';
    return badge(status || 'no status', kind);
  }
  function table(headers, rows, empty) {
    if (!rows.length) { return el('p', { className: 'muted', text: empty }); }
    return el('div', { className: 'table-wrap' }, el('table', null,
      el('thead', null, el('tr', null, headers.map(function (h) {
        return el('th', { className: h.num ? 'num' : null, scope: 'col', text: h.text || h });
      }))),
      el('tbody', null, rows)));
  }
  function showBanner(text, ok) {
    banner.textContent = text;
    banner.className = ok ? 'banner ok' : 'banner';
    banner.hidden = !text;
  }
  function outcome(node, text, kind) {
    node.textContent = text;
    node.className = 'outcome' + (kind ? ' ' + kind : '');
    node.hidden = false;
  }

  /** A call to the operator API; rejects with {status, error, message} as the API answered. */
  function api(method, path) {
    var headers = { 'Accept': 'application/json' };
    if (method !== 'GET') { headers[csrfHeader] = csrf; }
    return fetch(path, { method: method, headers: headers, credentials: 'same-origin', cache: 'no-store' })
      .then(function (response) {
        return response.text().then(function (text) {
          var body = null;
          try { body = text ? JSON.parse(text) : null; } catch (e) { body = null; }
          if (response.status === 401) {
            showBanner('Your session has ended: sign in again.');
            setTimeout(function () { window.location.assign('/console'); }, 1500);
          }
          if (!response.ok) {
            throw { status: response.status, error: body && body.error || 'http_' + response.status,
                    message: body && body.message || 'the router answered HTTP ' + response.status };
          }
          return body;
        });
      }, function () {
        throw { status: 0, error: 'unreachable', message: 'the router could not be reached' };
      });
  }
  function failure(e) { return 'Failed: ' + (e.message || e) + (e.error ? ' (' + e.error + ', HTTP ' + e.status + ')' : ''); }
  function pageError(e) {
    page.textContent = '';
    append(page, el('p', { className: 'outcome error', role: 'alert', text: failure(e) }));
  }

  /** Asks before an action; resolves true when confirmed. */
  function confirmAction(text) {
    var dialog = document.getElementById('confirm');
    document.getElementById('confirm-text').textContent = text;
    return new Promise(function (resolve) {
      dialog.addEventListener('close', function done() {
        dialog.removeEventListener('close', done);
        resolve(dialog.returnValue === 'ok');
      });
      dialog.returnValue = '';
      dialog.showModal();
    });
  }

  // ---- overview -----------------------------------------------------------------------------------------------
  function chart(hourly) {
    var width = 480, height = 90, gap = 2, n = hourly.length, bar = (width - gap * n) / n;
    var max = 1;
    hourly.forEach(function (h) { max = Math.max(max, h.accepted + h.refused); });
    var root = svg('svg', { viewBox: '0 0 ' + width + ' ' + height, preserveAspectRatio: 'none',
      role: 'img', 'aria-label': 'Deliveries per hour over the last 24 hours' });
    root.setAttribute('class', 'chart');
    root.appendChild(svg('line', { x1: 0, y1: height - 0.5, x2: width, y2: height - 0.5, 'class': 'axis' }));
    hourly.forEach(function (h, i) {
      var x = i * (bar + gap), y = height;
      [['accepted', h.accepted - h.parked], ['parked', h.parked], ['refused', h.refused]].forEach(function (part) {
        if (part[1] <= 0) { return; }
        var bh = Math.max(1, part[1] / max * (height - 4));
        y -= bh;
        var rect = svg('rect', { x: x.toFixed(1), y: y.toFixed(1), width: bar.toFixed(1), height: bh.toFixed(1), 'class': part[0] });
        rect.appendChild(svg('title', { text: time(h.hour) + ': ' + part[1] + ' ' + part[0] }));
        root.appendChild(rect);
      });
    });
    return root;
  }
  function reasons(window) {
    var keys = Object.keys(window.refusedByReason || {});
    if (!keys.length) { return null; }
    return el('p', { className: 'note' }, 'Refused by reason: ', keys.map(function (k, i) {
      return [i ? ', ' : '', el('code', { text: k }), ' ' + window.refusedByReason[k]];
    }));
  }
  function renderOverview() {
    return api('GET', '/api/overview').then(function (o) {
      vendors = o.vendors.map(function (v) { return v.vendor; }).filter(function (v) { return v !== 'unknown'; });
      page.textContent = '';
      var h = o.health;
      append(page, el('h1', null, 'Overview'));
      append(page, el('p', null, 'Readiness ', badge(h.ready ? 'ready' : 'not ready', h.ready ? 'good' : 'bad'),
        ' database ', badge(h.database, h.database === 'UP' ? 'good' : 'bad'),
        el('span', { className: 'muted small', text: '  as of ' + time(o.generatedAt) })));
      append(page, el('h2', { text: 'Deliveries in, per vendor' }));
      append(page, el('p', { className: 'note', text: 'Accepted and parked (accepted, not mapped) come from the database. '
        + 'Refusals are counted in the router\'s memory only, since ' + time(o.refusalsCountedSince)
        + ': they are lost when the router restarts, and each instance counts its own.' }));
      append(page, el('div', { className: 'cards' }, o.vendors.map(function (v) {
        var row = function (label, key) {
          return [el('span', { text: label }), el('span', { className: 'n', text: v.lastHour[key] }),
            el('span', { className: 'n', text: v.lastDay[key] })];
        };
        return el('section', { className: 'card', 'data-vendor': v.vendor },
          el('h3', { text: v.vendor }),
          el('div', { className: 'figures' }, el('span'), el('span', { className: 'h n', text: 'last hour' }),
            el('span', { className: 'h n', text: 'last day' }),
            row('accepted', 'accepted'), row('parked', 'parked'), row('unknown type', 'unknown'), row('refused', 'refused')),
          reasons(v.lastDay),
          chart(v.hourly),
          el('div', { className: 'legend' }, ['accepted', 'parked', 'refused'].map(function (k) {
            return el('span', null, el('span', { className: 'swatch ' + k }), k);
          }), el('span', { text: '24 h, hourly' })));
      })));
      append(page, el('h2', { text: 'Notifications out, per target' }));
      append(page, table(['Target', { text: 'Pending', num: 1 }, { text: 'Oldest pending', num: 1 }, { text: 'Dead', num: 1 }, 'State'],
        o.targets.map(function (t) {
          return el('tr', null, el('td', { text: t.target }), el('td', { className: 'num', text: t.pending }),
            el('td', { className: 'num', text: age(t.oldestPendingSeconds) }),
            el('td', { className: 'num' }, t.dead ? badge(String(t.dead), 'bad') : '0'),
            el('td', null, t.disabled ? badge('disabled', 'bad') : badge('enabled', 'good')));
        }), 'No notifier target is configured (kyc.notify.targets).'));
    });
  }

  // ---- verifications --------------------------------------------------------------------------------------------
  var lastSearch = null;
  function renderVerifications(vendor, id) {
    page.textContent = '';
    append(page, el('h1', { text: 'Verifications' }));
    var vendorSelect = el('select', { id: 'v-vendor', name: 'vendor', required: true },
      vendors.map(function (v) { return el('option', { value: v, text: v, selected: v === vendor }); }));
    var idInput = el('input', { id: 'v-id', name: 'verificationId', required: true, value: id || '', size: 34 });
    var byId = el('form', { className: 'inline', id: 'find-by-id', onsubmit: function (e) {
      e.preventDefault();
      window.location.hash = '#verifications/' + encodeURIComponent(vendorSelect.value) + '/' + encodeURIComponent(idInput.value.trim());
    } }, el('label', null, 'Vendor', vendorSelect), el('label', null, 'Verification id', idInput),
      el('button', { type: 'submit', id: 'find', text: 'Find' }));
    var userInput = el('input', { id: 'v-user', name: 'externalUserId', required: true, size: 34 });
    var results = el('div', { id: 'user-results' });
    var byUser = el('form', { className: 'inline', id: 'find-by-user', onsubmit: function (e) {
      e.preventDefault();
      lastSearch = userInput.value.trim();
      searchUser(lastSearch, results);
    } }, el('label', null, 'External user id', userInput), el('button', { type: 'submit', text: 'Find by user' }));
    var detail = el('div', { id: 'timeline' });
    append(page, [byId, byUser, results, detail]);
    if (lastSearch) { // the user's verifications stay listed while one of them is open
      userInput.value = lastSearch;
      searchUser(lastSearch, results);
    }
    if (vendor && id) { return showTimeline(vendor, id, detail); }
    return Promise.resolve();
  }
  function searchUser(user, results) {
    results.textContent = '';
    return api('GET', '/api/verifications?externalUserId=' + encodeURIComponent(user)).then(function (r) {
      append(results, table(['Vendor', 'Verification', 'Status', 'Last event', { text: 'Events', num: 1 }],
        r.verifications.map(function (v) {
          return el('tr', null, el('td', { text: v.vendor }),
            el('td', null, el('a', { href: '#verifications/' + encodeURIComponent(v.vendor) + '/' + encodeURIComponent(v.verificationId),
              text: v.verificationId })),
            el('td', null, statusBadge(v.status), v.final ? ' final' : ''), el('td', { text: time(v.lastEventAt) }),
            el('td', { className: 'num', text: v.eventCount }));
        }), 'No verification of this external user id.'));
    }, function (e) { append(results, el('p', { className: 'outcome error', role: 'alert', text: failure(e) })); });
  }
  function showTimeline(vendor, id, detail) {
    var path = '/api/verifications/' + encodeURIComponent(vendor) + '/' + encodeURIComponent(id);
    return api('GET', path + '/timeline').then(function (t) {
      var s = t.state;
      var field = function (label, value) { return el('div', null, el('span', { text: label }), el('strong', null, value)); };
      append(detail, el('h2', null, vendor + ' / ', el('span', { className: 'mono', text: id })));
      append(detail, el('div', { className: 'state card', id: 'state' },
        field('Status', [statusBadge(s.status), s.final ? ' final' : '']), field('Status since', time(s.statusAt)),
        field('External user id', s.externalUserId || '-'), field('Events', String(s.eventCount)),
        field('First event', time(s.firstEventAt)), field('Last event', time(s.lastEventAt))));
      append(detail, el('p', { className: 'note', text: 'Events in the order the vendor says they happened. '
        + 'An event marked "out of order" arrived after a newer one and did not move the status; struck-through events '
        + 'were superseded by a remap.' }));
      append(detail, table(['Happened (vendor)', 'Received', 'Type', 'Status', 'Reasons', 'Checks', 'Vendor event'],
        t.events.map(function (e) {
          var by = e.supersededBy; // replaced by a remap: struck through, and it no longer counts
          return el('tr', { className: by ? 'superseded' : e.outOfOrder ? 'out-of-order' : null, 'data-event': e.eventId },
            el('td', { text: time(e.occurredAt) }), el('td', { text: time(e.receivedAt) }),
            el('td', null, el('code', { text: e.type }), e.final ? ' final' : ''),
            el('td', null, e.status ? statusBadge(e.status) : '-',
              e.outOfOrder ? [' ', badge('out of order: status not moved', 'warn')] : null,
              by ? [' ', badge('superseded', '')] : null),
            el('td', null, (e.reasons || []).map(function (r) {
              return el('div', null, el('code', { text: r.code }), r.message ? ' ' + r.message : '');
            })),
            el('td', null, (e.checks || []).map(function (c) {
              return el('div', null, c.name + ': ', el('strong', { text: c.result }), c.score !== null && c.score !== undefined ? ' (' + c.score + ')' : '');
            })),
            el('td', { className: 'small', text: e.vendorEventType || '-' }));
        }), 'No events.'));
    }, function (e) {
      if (e.status === 404) {
        append(detail, el('p', { className: 'outcome error', role: 'alert', id: 'not-found',
          text: 'Not found: no verification "' + id + '" from ' + vendor + '.' }));
      } else {
        append(detail, el('p', { className: 'outcome error', role: 'alert', text: failure(e) }));
      }
    });
  }

  // ---- deliveries in ------------------------------------------------------------------------------------------
  function renderDeliveries() {
    return Promise.all([api('GET', '/api/inbox/latest?limit=50'), api('GET', '/api/refusals?limit=50'),
      api('GET', '/api/inbox/parked?limit=100')]).then(function (answers) {
      page.textContent = '';
      append(page, el('h1', { text: 'Deliveries in' }));
      var note = el('div', { className: 'outcome', id: 'deliveries-outcome', role: 'status', hidden: true });
      append(page, el('h2', { text: 'Parked: accepted, not mapped' }));
      append(page, el('p', { className: 'note', text: 'Fix the vendor\'s route, then map a delivery again through the current routes.' }));
      append(page, note);
      append(page, table(['Id', 'Vendor', 'Received', { text: 'Attempts', num: 1 }, 'Mapping error', ''],
        answers[2].parked.map(function (p) {
          return el('tr', null, el('td', { text: p.id }), el('td', { text: p.vendor }), el('td', { text: time(p.receivedAt) }),
            el('td', { className: 'num', text: p.attempts }), el('td', { className: 'small', text: p.lastError || '-' }),
            el('td', null, el('button', { type: 'button', className: 'quiet', 'data-remap': p.id, text: 'Map again', onclick: function () {
              remap(p, note);
            } })));
        }), 'Nothing is parked.'));
      var split = el('div', { className: 'split' });
      append(split, el('section', null, el('h2', { text: 'Latest accepted' }),
        table(['Received', 'Vendor', 'Event type', 'Outcome'], answers[0].deliveries.map(function (d) {
          return el('tr', null, el('td', { text: time(d.receivedAt) }), el('td', { text: d.vendor }),
            el('td', { className: 'small', text: d.vendorEventType || '-' }),
            el('td', null, badge(d.outcome, d.outcome === 'mapped' ? 'good' : 'warn')));
        }), 'No delivery accepted yet.')));
      append(split, el('section', null, el('h2', { text: 'Latest refused' }),
        el('p', { className: 'note', text: 'Kept in memory since ' + time(answers[1].countedSince) + '; lost on restart.' }),
        table(['Time', 'Vendor', 'Reason'], answers[1].refusals.map(function (r) {
          return el('tr', null, el('td', { text: time(r.at) }), el('td', { text: r.vendor }), el('td', null, el('code', { text: r.reason })));
        }), 'No delivery refused since the router started.')));
      append(page, split);
    });
  }
  function remap(p, note) {
    confirmAction('Map delivery ' + p.id + ' from ' + p.vendor + ' again through the current routes?').then(function (ok) {
      if (!ok) { return; }
      outcome(note, 'Mapping delivery ' + p.id + ' again...');
      api('POST', '/api/inbox/' + encodeURIComponent(p.id) + '/remap').then(function (r) {
        outcome(note, 'Delivery ' + p.id + ': remapped ' + (r.remapped || 0) + ', unchanged ' + (r.unchanged || 0)
          + ', still parked ' + (r.parked || 0) + '.', r.parked ? 'error' : 'ok');
      }, function (e) { outcome(note, failure(e), 'error'); });
    });
  }

  // ---- notifications out ----------------------------------------------------------------------------------------
  function renderNotifications() {
    return Promise.all([api('GET', '/api/overview'), api('GET', '/api/deliveries?state=dead&limit=200')]).then(function (answers) {
      var targets = answers[0].targets, dead = answers[1].deliveries;
      page.textContent = '';
      append(page, el('h1', { text: 'Notifications out' }));
      var note = el('div', { className: 'outcome', id: 'notify-outcome', role: 'status', hidden: true });
      append(page, note);
      append(page, table(['Target', { text: 'Pending', num: 1 }, { text: 'Oldest pending', num: 1 }, { text: 'Dead', num: 1 },
        'State', 'Replay dead letters and missed events since'], targets.map(function (t) {
        var since = el('input', { type: 'datetime-local', 'aria-label': 'since (UTC)', step: 1 });
        return el('tr', { 'data-target': t.target }, el('td', { text: t.target }), el('td', { className: 'num', text: t.pending }),
          el('td', { className: 'num', text: age(t.oldestPendingSeconds) }), el('td', { className: 'num', text: t.dead }),
          el('td', null, t.disabled ? [badge('disabled', 'bad'), ' ', el('button', { type: 'button', className: 'quiet',
            'data-enable': t.target, text: 'Enable', onclick: function () { enable(t.target, note); } })] : badge('enabled', 'good'),
            t.disabledReason ? el('div', { className: 'small muted', text: t.disabledReason }) : null),
          el('td', null, el('form', { className: 'inline', onsubmit: function (e) {
            e.preventDefault();
            replaySince(t.target, since.value, note);
          } }, since, el('button', { type: 'submit', className: 'quiet', text: 'Replay' }))));
      }), 'No notifier target is configured (kyc.notify.targets).'));
      append(page, el('p', { className: 'note', text: 'Times are UTC. Without a time, every dead letter of the target is replayed.' }));
      append(page, el('h2', { text: 'Dead letters' }));
      append(page, table(['Id', 'Target', 'Vendor', 'Verification', 'Created', { text: 'Attempts', num: 1 }, 'Last error', ''],
        dead.map(function (d) {
          return el('tr', { 'data-delivery': d.id }, el('td', { text: d.id }), el('td', { text: d.target }), el('td', { text: d.vendor }),
            el('td', { className: 'mono small', text: d.verificationId }), el('td', { text: time(d.createdAt) }),
            el('td', { className: 'num', text: d.attempts }),
            el('td', { className: 'small', text: d.lastError || (d.lastStatus ? 'HTTP ' + d.lastStatus : '-') }),
            el('td', null, el('button', { type: 'button', className: 'quiet', 'data-replay': d.id, text: 'Replay', onclick: function () {
              replayOne(d, note);
            } })));
        }), 'No dead letters.'));
    });
  }
  function replayOne(d, note) {
    confirmAction('Deliver dead letter ' + d.id + ' to ' + d.target + ' again?').then(function (ok) {
      if (!ok) { return; }
      api('POST', '/api/deliveries/' + encodeURIComponent(d.id) + '/replay').then(function () {
        outcome(note, 'Delivery ' + d.id + ' to ' + d.target + ' queued again; waiting for the outcome...');
        follow(d, note, 0);
      }, function (e) { outcome(note, failure(e), 'error'); });
    });
  }
  /** Follows a replayed delivery until it is delivered or dead again (or stops after a while). */
  function follow(d, note, round) {
    api('GET', '/api/deliveries?target=' + encodeURIComponent(d.target) + '&limit=1000').then(function (r) {
      var row = r.deliveries.filter(function (x) { return x.id === d.id; })[0];
      if (row && row.state === 'delivered') {
        outcome(note, 'Delivery ' + d.id + ' to ' + d.target + ': delivered (HTTP ' + row.lastStatus + ').', 'ok');
        var line = document.querySelector('tr[data-delivery="' + d.id + '"]');
        if (line) { line.remove(); }
      } else if (row && row.state === 'dead') {
        outcome(note, 'Delivery ' + d.id + ' to ' + d.target + ': dead again - ' + (row.lastError || 'HTTP ' + row.lastStatus), 'error');
      } else if (round < 30) {
        setTimeout(function () { follow(d, note, round + 1); }, 1000);
      } else {
        outcome(note, 'Delivery ' + d.id + ' to ' + d.target + ' is still pending (retrying); see Overview.');
      }
    }, function (e) { outcome(note, failure(e), 'error'); });
  }
  function replaySince(target, local, note) {
    var since = local ? new Date(local + 'Z') : null;
    if (since && isNaN(since.getTime())) { outcome(note, 'Not a time: ' + local, 'error'); return; }
    var text = 'Replay the dead letters of ' + target + (since ? ' created since ' + time(since.toISOString()) : ' (all of them)')
      + ', and deliver the events it never had?';
    confirmAction(text).then(function (ok) {
      if (!ok) { return; }
      api('POST', '/api/deliveries/replay?target=' + encodeURIComponent(target) + (since ? '&since=' + encodeURIComponent(since.toISOString()) : ''))
        .then(function (r) {
          outcome(note, target + ': ' + r.deadReplayed + ' dead letter(s) replayed, ' + r.neverDeliveredEnqueued
            + ' missed event(s) queued.', 'ok');
        }, function (e) { outcome(note, failure(e), 'error'); });
    });
  }
  function enable(target, note) {
    confirmAction('Enable target ' + target + ' again? Its receiver had disabled it (HTTP 410).').then(function (ok) {
      if (!ok) { return; }
      api('POST', '/api/targets/' + encodeURIComponent(target) + '/enable').then(function (r) {
        outcome(note, 'Target ' + r.target + ' enabled' + (r.wasDisabled ? '.' : ' (it was not disabled).'), 'ok');
      }, function (e) { outcome(note, failure(e), 'error'); });
    });
  }

  // ---- navigation --------------------------------------------------------------------------------------------------
  function route() {
    var parts = (window.location.hash || '#overview').substring(1).split('/');
    var name = parts[0] || 'overview';
    document.querySelectorAll('nav a').forEach(function (a) {
      if (a.getAttribute('data-page') === name) { a.setAttribute('aria-current', 'page'); } else { a.removeAttribute('aria-current'); }
    });
    showBanner('');
    var shown;
    if (name === 'verifications') {
      var ready = vendors.length ? Promise.resolve() : api('GET', '/api/overview').then(function (o) {
        vendors = o.vendors.map(function (v) { return v.vendor; }).filter(function (v) { return v !== 'unknown'; });
      });
      shown = ready.then(function () {
        return renderVerifications(parts[1] && decodeURIComponent(parts[1]), parts[2] && decodeURIComponent(parts.slice(2).join('/')));
      });
    } else if (name === 'deliveries') {
      shown = renderDeliveries();
    } else if (name === 'notifications') {
      shown = renderNotifications();
    } else {
      shown = renderOverview();
    }
    shown.then(function () { document.body.setAttribute('data-shown', name); }, pageError);
  }

  document.getElementById('sign-out').addEventListener('click', function () {
    fetch('/console/sign-out', { method: 'POST', headers: { 'X-CSRF-Token': csrf }, credentials: 'same-origin' })
      .then(function () { window.location.assign('/console'); });
  });
  window.addEventListener('hashchange', route);
  fetch('/console/session', { credentials: 'same-origin', cache: 'no-store' }).then(function (r) {
    if (!r.ok) { window.location.assign('/console'); return null; }
    return r.json();
  }).then(function (s) {
    if (!s) { return; }
    csrf = s.csrfToken;
    csrfHeader = s.csrfHeader || csrfHeader;
    route();
  });
}());
