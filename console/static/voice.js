// SPDX-License-Identifier: Apache-2.0
// Records a voice answer with the browser's microphone as a 16-bit mono WAV
// and puts it in the form's file input, so that the form uploads it as a
// chosen file would be. Without a microphone (or over plain HTTP, where
// browsers refuse it) the file input still works.
(function () {
  var form = document.getElementById("voice-answer");
  if (!form || !navigator.mediaDevices || !window.AudioContext || !window.DataTransfer) return;
  var button = form.querySelector("button.record"), input = form.querySelector("input[type=file]");
  var status = form.querySelector(".record-status");
  button.hidden = false;
  var ctx, source, node, stream, chunks = [];
  function wav(samples, rate) {
    var buf = new ArrayBuffer(44 + samples.length * 2), v = new DataView(buf);
    function str(o, s) { for (var i = 0; i < s.length; i++) v.setUint8(o + i, s.charCodeAt(i)); }
    str(0, "RIFF"); v.setUint32(4, 36 + samples.length * 2, true); str(8, "WAVE"); str(12, "fmt ");
    v.setUint32(16, 16, true); v.setUint16(20, 1, true); v.setUint16(22, 1, true); v.setUint32(24, rate, true);
    v.setUint32(28, rate * 2, true); v.setUint16(32, 2, true); v.setUint16(34, 16, true); str(36, "data");
    v.setUint32(40, samples.length * 2, true);
    for (var i = 0; i < samples.length; i++) {
      var s = Math.max(-1, Math.min(1, samples[i]));
      v.setInt16(44 + i * 2, s < 0 ? s * 0x8000 : s * 0x7fff, true);
    }
    return new Blob([buf], { type: "audio/wav" });
  }
  function stop() {
    node.disconnect(); source.disconnect(); stream.getTracks().forEach(function (t) { t.stop(); });
    var n = chunks.reduce(function (a, c) { return a + c.length; }, 0), all = new Float32Array(n), o = 0;
    chunks.forEach(function (c) { all.set(c, o); o += c.length; });
    var dt = new DataTransfer();
    dt.items.add(new File([wav(all, ctx.sampleRate)], "tra-loi.wav", { type: "audio/wav" }));
    input.files = dt.files;
    var secs = Math.round(n / ctx.sampleRate);
    ctx.close(); ctx = null;
    button.textContent = "Ghi âm lại";
    status.textContent = "Đã ghi " + secs + " giây; bấm «Gửi trả lời bằng giọng nói».";
  }
  button.addEventListener("click", function () {
    if (ctx) { stop(); return; }
    navigator.mediaDevices.getUserMedia({ audio: true }).then(function (s) {
      stream = s; chunks = []; ctx = new AudioContext();
      source = ctx.createMediaStreamSource(s); node = ctx.createScriptProcessor(4096, 1, 1);
      node.onaudioprocess = function (e) { chunks.push(new Float32Array(e.inputBuffer.getChannelData(0))); };
      source.connect(node); node.connect(ctx.destination);
      button.textContent = "Dừng ghi âm"; status.textContent = "Đang ghi âm…";
    }, function () { status.textContent = "Trình duyệt không cho dùng micro; hãy chọn tệp ghi âm."; });
  });
})();
