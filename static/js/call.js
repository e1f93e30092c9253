/* The 1:1 video call of a meeting's call room (templates/meetings/call.html), plain browser APIs only.
 *
 * Signalling runs over the call socket, /ws/meetings/<uuid>/call/ (every frame in docs/calls.md). The
 * camera and microphone are asked for only when the person presses "Start the call". The company's side
 * makes the offer whenever the buyer's side joins (so there is never an offer from both at once); the
 * buyer's side answers. The RTCPeerConnection's connectionState is mirrored in data-call-connection, and the
 * call's stage in data-call-state (idle, media, waiting, connecting, connected, ended, failed).
 */
(function () {
  "use strict";

  var root = document.querySelector("[data-call]");
  if (!root || !window.RTCPeerConnection || !navigator.mediaDevices) {
    return;
  }

  // Low-bandwidth caps, bits per second: small video, speech-quality audio.
  var LOW_VIDEO_BITRATE = 150000;
  var LOW_AUDIO_BITRATE = 24000;
  var RECONNECT_MS = 2000;
  var MAX_RESTARTS = 3; // fresh offers after a failed connection, before leaving it to the person
  // Error codes after which the socket is not opened again (docs/calls.md).
  var FINAL_ERRORS = ["not_signed_in", "not_found", "not_open", "replaced"];

  var side = root.getAttribute("data-call-side");
  var status = root.querySelector("[data-call-status]");
  var remoteVideo = root.querySelector("[data-call-remote]");
  var localVideo = root.querySelector("[data-call-local]");
  var audioOnlyBox = root.querySelector("[data-call-audio-only]");
  var lowBandwidthBox = root.querySelector("[data-call-low-bandwidth]");
  var startButton = root.querySelector("[data-call-start]");
  var muteButton = root.querySelector("[data-call-mute]");
  var hangupButton = root.querySelector("[data-call-hangup]");

  var iceServers = [];
  try {
    iceServers = JSON.parse(root.getAttribute("data-call-ice") || "[]");
  } catch (error) {
    iceServers = [];
  }

  var socket = null;
  var stream = null;
  var videoTrack = null;
  var peer = null;
  var pendingCandidates = [];
  var active = false; // between "Start the call" and the end of the call
  var finalError = false;
  var restarts = 0;
  var work = Promise.resolve(); // frames are handled one after another, in arrival order

  function text(name) {
    return root.getAttribute("data-text-" + name) || "";
  }

  function say(message) {
    status.textContent = message;
  }

  function setState(state, message) {
    root.setAttribute("data-call-state", state);
    if (message) {
      say(message);
    }
  }

  function send(frame) {
    if (socket && socket.readyState === WebSocket.OPEN) {
      socket.send(JSON.stringify(frame));
    }
  }

  // --- media ---------------------------------------------------------------------------------------------

  function getMedia() {
    var wantVideo = !audioOnlyBox.checked;
    var constraints = {
      audio: true,
      video: wantVideo ? { width: { ideal: 640 }, height: { ideal: 360 } } : false,
    };
    return navigator.mediaDevices.getUserMedia(constraints).catch(function (error) {
      if (!wantVideo) {
        throw error;
      }
      audioOnlyBox.checked = true; // no camera: carry on with the microphone alone
      return navigator.mediaDevices.getUserMedia({ audio: true, video: false });
    });
  }

  function stopMedia() {
    if (stream) {
      stream.getTracks().forEach(function (track) {
        track.stop();
      });
    }
    stream = null;
    videoTrack = null;
    localVideo.srcObject = null;
  }

  function applyBitrate() {
    if (!peer) {
      return;
    }
    var low = lowBandwidthBox.checked;
    var current = peer;
    var updates = current.getSenders().map(function (sender) {
      var kind = sender.track ? sender.track.kind : null;
      if (!kind) {
        return Promise.resolve();
      }
      var parameters = sender.getParameters();
      if (!parameters.encodings || !parameters.encodings.length) {
        parameters.encodings = [{}];
      }
      parameters.encodings.forEach(function (encoding) {
        if (low) {
          encoding.maxBitrate = kind === "video" ? LOW_VIDEO_BITRATE : LOW_AUDIO_BITRATE;
          if (kind === "video") {
            encoding.scaleResolutionDownBy = 2;
          }
        } else {
          delete encoding.maxBitrate;
          if (kind === "video") {
            encoding.scaleResolutionDownBy = 1;
          }
        }
      });
      return sender.setParameters(parameters).catch(function () {
        /* not negotiated yet: applied again once connected */
      });
    });
    Promise.all(updates).then(function () {
      // What the browser now applies, read back (data-call-max-bitrate: "audio:24000 video:150000", empty without caps).
      var caps = current.getSenders().map(function (sender) {
        var encodings = sender.getParameters().encodings || [];
        return sender.track && encodings.length && encodings[0].maxBitrate ? sender.track.kind + ":" + encodings[0].maxBitrate : "";
      });
      root.setAttribute("data-call-max-bitrate", caps.filter(Boolean).sort().join(" "));
    });
  }

  function applyAudioOnly() {
    if (!videoTrack) {
      return;
    }
    videoTrack.enabled = !audioOnlyBox.checked;
    if (!peer) {
      return;
    }
    peer.getTransceivers().forEach(function (transceiver) {
      var sender = transceiver.sender;
      if (transceiver.receiver.track && transceiver.receiver.track.kind === "video") {
        // Sending nothing at all (not black frames) is what saves the bandwidth.
        sender.replaceTrack(audioOnlyBox.checked ? null : videoTrack);
      }
    });
  }

  // --- the peer connection -----------------------------------------------------------------------------------

  function closePeer() {
    if (peer) {
      peer.onicecandidate = null;
      peer.ontrack = null;
      peer.onconnectionstatechange = null;
      peer.close();
    }
    peer = null;
    pendingCandidates = [];
    remoteVideo.srcObject = null;
    root.setAttribute("data-call-connection", "closed");
  }

  function newPeer() {
    closePeer();
    peer = new RTCPeerConnection({ iceServers: iceServers });
    var current = peer;
    root.setAttribute("data-call-connection", peer.connectionState);
    stream.getTracks().forEach(function (track) {
      current.addTrack(track, stream);
    });
    if (!videoTrack) {
      // Audio only here, but the other side may still send video.
      current.addTransceiver("video", { direction: "recvonly" });
    }
    current.onicecandidate = function (event) {
      send({ type: "ice", candidate: event.candidate ? event.candidate.toJSON() : null });
    };
    current.ontrack = function (event) {
      remoteVideo.srcObject = event.streams && event.streams[0] ? event.streams[0] : new MediaStream([event.track]);
    };
    current.onconnectionstatechange = function () {
      if (current !== peer) {
        return;
      }
      var state = current.connectionState;
      root.setAttribute("data-call-connection", state);
      if (state === "connected") {
        restarts = 0;
        setState("connected", text("connected"));
        applyBitrate();
        applyAudioOnly();
      } else if (state === "disconnected") {
        say(text("reconnecting"));
      } else if (state === "failed") {
        setState("failed", text("failed"));
        if (side === "company" && restarts < MAX_RESTARTS) {
          restarts += 1;
          // Start over on a fresh connection (the buyer's side answers an offer on a fresh one too).
          work = work.then(function () {
            return active ? makeOffer() : null;
          });
        }
      }
    };
    return current;
  }

  function makeOffer() {
    var current = newPeer();
    setState("connecting", text("connecting"));
    return current
      .createOffer()
      .then(function (offer) {
        return current.setLocalDescription(offer);
      })
      .then(function () {
        send({ type: "offer", sdp: current.localDescription.sdp });
      });
  }

  function addCandidate(candidate) {
    if (!peer) {
      return Promise.resolve();
    }
    if (!peer.remoteDescription) {
      pendingCandidates.push(candidate);
      return Promise.resolve();
    }
    return peer.addIceCandidate(candidate || undefined).catch(function () {
      /* a candidate of an earlier negotiation */
    });
  }

  function flushCandidates() {
    var waiting = pendingCandidates;
    pendingCandidates = [];
    return waiting.reduce(function (chain, candidate) {
      return chain.then(function () {
        return addCandidate(candidate);
      });
    }, Promise.resolve());
  }

  // --- frames from the server ------------------------------------------------------------------------------

  function handle(frame) {
    if (!active) {
      return Promise.resolve();
    }
    switch (frame.type) {
      case "ready":
        if (Array.isArray(frame.ice_servers)) {
          iceServers = frame.ice_servers; // fresher credentials than the page's
        }
        return Promise.resolve();
      case "peer-joined":
        if (side === "company") {
          return makeOffer();
        }
        setState("connecting", text("connecting"));
        return Promise.resolve();
      case "offer":
        if (side !== "buyer") {
          return Promise.resolve();
        }
        var answering = newPeer();
        setState("connecting", text("connecting"));
        return answering
          .setRemoteDescription({ type: "offer", sdp: frame.sdp })
          .then(flushCandidates)
          .then(function () {
            return answering.createAnswer();
          })
          .then(function (answer) {
            return answering.setLocalDescription(answer);
          })
          .then(function () {
            send({ type: "answer", sdp: answering.localDescription.sdp });
          });
      case "answer":
        if (!peer || peer.signalingState !== "have-local-offer") {
          return Promise.resolve();
        }
        return peer.setRemoteDescription({ type: "answer", sdp: frame.sdp }).then(flushCandidates);
      case "ice":
        return addCandidate(frame.candidate);
      case "peer-left":
        closePeer();
        setState("waiting", text("peer-left"));
        return Promise.resolve();
      case "hangup":
        endCall(false);
        return Promise.resolve();
      case "error":
        if (FINAL_ERRORS.indexOf(frame.code) !== -1) {
          finalError = true;
          endCall(false);
          setState("ended", frame.message);
        } else if (frame.message) {
          say(frame.message);
        }
        return Promise.resolve();
      default:
        return Promise.resolve();
    }
  }

  function openSocket() {
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    var current = new WebSocket(scheme + window.location.host + root.getAttribute("data-call-socket"));
    socket = current;
    current.onopen = function () {
      send({ type: "join" });
      setState("waiting", text("waiting"));
    };
    current.onmessage = function (event) {
      var frame;
      try {
        frame = JSON.parse(event.data);
      } catch (error) {
        return;
      }
      work = work.then(function () {
        return handle(frame);
      }).catch(function () {
        setState("failed", text("failed"));
      });
    };
    current.onclose = function () {
      if (socket !== current) {
        return;
      }
      socket = null;
      if (active && !finalError) {
        say(text("socket-lost"));
        window.setTimeout(function () {
          if (active && !socket) {
            openSocket();
          }
        }, RECONNECT_MS);
      }
    };
  }

  // --- the person's buttons --------------------------------------------------------------------------------

  function showControls(inCall) {
    startButton.hidden = inCall;
    muteButton.hidden = !inCall;
    hangupButton.hidden = !inCall;
    audioOnlyBox.disabled = inCall && !videoTrack;
  }

  function startCall() {
    startButton.disabled = true;
    finalError = false;
    setState("media", text("media"));
    getMedia()
      .then(function (media) {
        stream = media;
        videoTrack = media.getVideoTracks()[0] || null;
        localVideo.srcObject = media;
        active = true;
        showControls(true);
        setMuted(false);
        openSocket();
      })
      .catch(function () {
        setState("failed", text("no-media"));
      })
      .then(function () {
        startButton.disabled = false;
      });
  }

  function endCall(tellPeer) {
    if (tellPeer) {
      send({ type: "hangup" });
    }
    active = false;
    closePeer();
    stopMedia();
    var closing = socket;
    socket = null;
    if (closing) {
      closing.close(1000);
    }
    showControls(false);
    setState("ended", text("ended"));
  }

  function setMuted(muted) {
    if (stream) {
      stream.getAudioTracks().forEach(function (track) {
        track.enabled = !muted;
      });
    }
    muteButton.setAttribute("aria-pressed", muted ? "true" : "false");
    muteButton.textContent = muteButton.getAttribute(muted ? "data-text-unmute" : "data-text-mute");
  }

  startButton.addEventListener("click", startCall);
  hangupButton.addEventListener("click", function () {
    endCall(true);
  });
  muteButton.addEventListener("click", function () {
    setMuted(muteButton.getAttribute("aria-pressed") !== "true");
  });
  lowBandwidthBox.addEventListener("change", applyBitrate);
  audioOnlyBox.addEventListener("change", applyAudioOnly);
  window.addEventListener("pagehide", function () {
    if (active) {
      endCall(true);
    }
  });
})();
