// The /chat page: asks the bot for a Direct Line token (for the name picked here in local mode, for the signed-in
// person otherwise; the bot decides the user id), then renders the official Web Chat against the bot's own Direct Line.
(function () {
  'use strict';
  var body = document.body;
  var form = document.getElementById('join');
  var status = document.getElementById('status');
  var nameInput = document.getElementById('name');
  var roomInput = document.getElementById('room');
  var directLine;

  // Per tab, so two tabs can be two people.
  if (nameInput && sessionStorage.getItem('botagent.name')) nameInput.value = sessionStorage.getItem('botagent.name');

  function say(text, problem) {
    status.textContent = text;
    status.className = problem ? 'problem' : '';
  }

  form.addEventListener('submit', function (event) {
    event.preventDefault();
    var request = { room: roomInput.value };
    if (nameInput) {
      request.name = nameInput.value;
      sessionStorage.setItem('botagent.name', nameInput.value);
    }
    say('Connecting…');
    fetch(body.getAttribute('data-token-url'), {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(request)
    })
      .then(function (response) {
        return response.json().then(function (json) {
          if (!response.ok) throw new Error(json.detail || json.title || 'The bot refused: ' + response.status);
          return json;
        });
      })
      .then(function (grant) {
        if (directLine) directLine.end();
        directLine = window.WebChat.createDirectLine({ token: grant.token, domain: grant.domain, webSocket: true });
        // 3 is DirectLineJS's ExpiredToken: the session ran its whole lifetime and refreshing no longer helps.
        directLine.connectionStatus$.subscribe(function (state) {
          if (state === 3) say('Your chat session has ended: open this page again to carry on.', true);
        });
        window.WebChat.renderWebChat(
          {
            directLine: directLine,
            userID: grant.userId,
            username: grant.userName,
            locale: 'en-US',
            nonce: body.getAttribute('data-nonce'),
            styleOptions: { botAvatarInitials: 'BA', userAvatarInitials: grant.userName.slice(0, 2).toUpperCase(), hideUploadButton: true }
          },
          document.getElementById('webchat')
        );
        say('You are ' + grant.userName + ' in room ' + grant.room + '.');
      })
      .catch(function (error) {
        say(error.message, true);
      });
  });

  if (body.getAttribute('data-mode') === 'signed-in') form.requestSubmit();
})();
