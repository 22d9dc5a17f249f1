// Sends the operator token in a JSON body (never in a URL); the router answers with the session cookie.
(function () {
  'use strict';
  var form = document.getElementById('sign-in-form');
  var message = document.getElementById('message');
  function show(text) {
    message.textContent = '';
    var p = document.createElement('p');
    p.className = 'error';
    p.setAttribute('role', 'alert');
    p.textContent = text;
    message.appendChild(p);
  }
  form.addEventListener('submit', function (event) {
    event.preventDefault();
    var token = document.getElementById('token').value;
    fetch('/console/sign-in', { method: 'POST', credentials: 'same-origin', cache: 'no-store',
      headers: { 'Content-Type': 'application/json', 'Accept': 'application/json' }, body: JSON.stringify({ token: token }) })
      .then(function (response) {
        if (response.ok) { window.location.assign('/console'); return null; }
        return response.json().then(function (body) { show(body.message || 'Sign-in refused.'); });
      })
      .catch(function () { show('The router could not be reached.'); });
  });
}());
