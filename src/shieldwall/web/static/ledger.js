// Verify a ledger entry in the browser, with WebCrypto only (RFC 6962/9162, C2SP):
// 1. the entry's canonical JSON (RFC 8785) hashes to the proof's leaf: SHA-256(0x00 || entry);
// 2. the inclusion proof leads from that leaf to a root (RFC 9162 section 2.1.3.2);
// 3. that root and tree size are the ones in the checkpoint;
// 4. the checkpoint is signed by the log's Ed25519 key (C2SP signed-note).
"use strict";
(function () {
  const dataNode = document.getElementById("proof-data");
  const out = document.getElementById("verify-result");
  const steps = document.getElementById("verify-steps");
  const again = document.getElementById("verify");
  if (!dataNode || !out || !steps) return;
  const data = JSON.parse(dataNode.textContent);
  const enc = new TextEncoder();

  function jcs(value) { // RFC 8785: ECMAScript serialization, keys in UTF-16 code unit order
    if (value === null || typeof value !== "object") return JSON.stringify(value);
    if (Array.isArray(value)) return "[" + value.map(jcs).join(",") + "]";
    return "{" + Object.keys(value).sort()
      .map((k) => JSON.stringify(k) + ":" + jcs(value[k])).join(",") + "}";
  }
  function hex(bytes) {
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }
  function unhex(text) {
    if (!/^([0-9a-f]{2})*$/i.test(text)) throw new Error("not hex: " + text);
    return Uint8Array.from(text.match(/../g) || [], (h) => parseInt(h, 16));
  }
  function unb64(text) {
    const raw = atob(text);
    return Uint8Array.from(raw, (c) => c.charCodeAt(0));
  }
  function concat(...parts) {
    const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) { all.set(p, at); at += p.length; }
    return all;
  }
  function same(a, b) {
    return a.length === b.length && a.every((x, i) => x === b[i]);
  }
  async function sha256(bytes) {
    return new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  }
  const node = (l, r) => sha256(concat(Uint8Array.of(1), l, r));

  async function rootFromInclusion(index, size, leaf, proof) {
    index = BigInt(index); size = BigInt(size);
    if (index < 0n || index >= size) throw new Error("leaf " + index + " is outside a tree of size " + size);
    const x = index ^ (size - 1n);
    const inner = x === 0n ? 0 : x.toString(2).length;
    const border = (index >> BigInt(inner)).toString(2).split("").filter((c) => c === "1").length;
    if (proof.length !== inner + border) {
      throw new Error("the proof has " + proof.length + " hashes; it needs " + (inner + border));
    }
    let seed = leaf;
    for (let i = 0; i < inner; i++) {
      seed = ((index >> BigInt(i)) & 1n) === 0n ? await node(seed, proof[i]) : await node(proof[i], seed);
    }
    for (let i = inner; i < proof.length; i++) seed = await node(proof[i], seed);
    return seed;
  }

  function parseNote(note) {
    const split = note.lastIndexOf("\n\n");
    if (split < 0) throw new Error("the checkpoint has no signature block");
    const text = note.slice(0, split + 1);
    const lines = text.slice(0, -1).split("\n");
    if (lines.length < 3 || !/^(0|[1-9][0-9]*)$/.test(lines[1])) throw new Error("the checkpoint is malformed");
    const sigs = note.slice(split + 2).split("\n").filter(Boolean).map((line) => {
      if (!line.startsWith("\u2014 ")) throw new Error("a signature line does not start with an em dash");
      const [name, b64] = line.slice(2).split(" ");
      return { name, blob: unb64(b64) };
    });
    return { text, origin: lines[0], size: BigInt(lines[1]), root: unb64(lines[2]), sigs };
  }

  async function checkSignature(cp, vkey) {
    const parts = vkey.trim().split("+"); // name+id+key; the base64 key may hold '+' itself
    if (parts.length < 3) throw new Error("a verifier key has three parts joined by '+'");
    const [name, hexId, b64] = [parts[0], parts[1], parts.slice(2).join("+")];
    const raw = unb64(b64);
    if (raw.length !== 33 || raw[0] !== 1) throw new Error("the verifier key is not an Ed25519 note key");
    const pub = raw.slice(1);
    const id = (await sha256(concat(enc.encode(name + "\n"), raw))).slice(0, 4);
    if (hex(id) !== hexId.toLowerCase()) throw new Error("the verifier key's id does not match its name and key");
    if (cp.origin !== name) throw new Error("the checkpoint's origin is not the key's name");
    const sig = cp.sigs.find((s) => s.name === name && same(s.blob.slice(0, 4), id));
    if (!sig) throw new Error("the checkpoint carries no signature by " + name);
    let key;
    try {
      key = await crypto.subtle.importKey("raw", pub, { name: "Ed25519" }, false, ["verify"]);
    } catch (err) {
      return null; // this browser has no Ed25519 in WebCrypto
    }
    return crypto.subtle.verify({ name: "Ed25519" }, key, sig.blob.slice(4), enc.encode(cp.text));
  }

  function step(ok, text) {
    const li = document.createElement("li");
    li.className = ok ? "ok" : "fail";
    li.textContent = (ok ? "✓ " : "✗ ") + text;
    steps.append(li);
  }
  function finish(state, text) {
    out.dataset.state = state;
    out.replaceChildren();
    const p = document.createElement("p");
    const strong = document.createElement("strong");
    strong.textContent = text;
    p.append(strong);
    out.append(p);
  }

  async function verify() {
    steps.replaceChildren();
    out.dataset.state = "pending";
    out.textContent = "Checking…";
    try {
      if (!window.crypto || !crypto.subtle) throw new Error("WebCrypto is not available (open the page over https or localhost)");
      const leaf = await sha256(concat(Uint8Array.of(0), enc.encode(jcs(data.entry))));
      const leafOk = hex(leaf) === data.proof.leaf_hash;
      step(leafOk, "the entry's canonical JSON hashes to leaf " + hex(leaf).slice(0, 16) + "…");
      if (!leafOk) throw new Error("the entry shown does not hash to the proof's leaf");
      const cp = parseNote(data.checkpoint);
      const sizeOk = cp.size === BigInt(data.proof.tree_size);
      step(sizeOk, "the proof is for the checkpoint's tree of " + cp.size + " entries");
      if (!sizeOk) throw new Error("the proof and the checkpoint are for different tree sizes");
      const root = await rootFromInclusion(data.index, data.proof.tree_size, leaf, data.proof.inclusion.map(unhex));
      const rootOk = same(root, cp.root);
      step(rootOk, "the " + data.proof.inclusion.length + " proof hashes lead to the checkpoint's root " + hex(root).slice(0, 16) + "…");
      if (!rootOk) throw new Error("the proof does not lead to the checkpoint's root");
      const signed = await checkSignature(cp, data.public_key);
      if (signed === null) {
        step(false, "this browser cannot check Ed25519 signatures; the signature was not checked");
        finish("partial", "Entry " + data.index + " is in the tree whose root the checkpoint names, but this browser could not check the checkpoint's signature.");
        return;
      }
      step(signed, "the checkpoint is signed by " + cp.origin);
      if (!signed) throw new Error("the checkpoint's signature does not verify");
      finish("ok", "Verified: entry " + data.index + " is in the log " + cp.origin + " of " + cp.size + " entries, whose signed checkpoint this browser checked.");
    } catch (err) {
      finish("fail", "Not verified: " + err.message);
    }
  }

  if (again) {
    again.hidden = false;
    again.addEventListener("click", verify);
  }
  verify();
})();
