// 使用 USB-Key 签署 (issue 20): talks to the local agent (signet agent) for the
// certificate and the signature; the platform prepares and completes. The PIN
// is typed in the agent's own window, never here.
(() => {
  const box = document.querySelector(".ukey-sign")
  if (!box) return
  const { contract, party, csrf, agent } = box.dataset
  const status = box.querySelector(".ukey-status")
  const list = box.querySelector(".ukey-certs")
  const origin = box.querySelector(".ukey-origin")
  if (origin) origin.textContent = location.origin
  const command = box.querySelector(".ukey-command")
  const say = (text, error) => {
    status.textContent = text
    status.className = `ukey-status ${error ? "field-error" : "muted"}`
  }
  const post = async (path, body) => {
    const r = await fetch(`/contracts/${contract}/ukey/${path}`, {
      method: "POST", headers: { "content-type": "application/json", "x-csrf-token": csrf }, body: JSON.stringify(body),
    })
    const json = await r.json().catch(() => ({ error: "系统繁忙，请稍后重试" }))
    if (!r.ok) throw new Error(json.error || "系统繁忙，请稍后重试")
    return json
  }
  const sign = async (cert) => {
    say("正在准备签署…")
    const prepared = await post("prepare", { certificate: cert.certificate, party: Number(party) })
    say("请在签署助手窗口中核对合同信息并输入 USB-Key 的 PIN…")
    const r = await fetch(`${agent}/sign`, {
      method: "POST", headers: { "content-type": "application/json" },
      body: JSON.stringify({ token: cert.token, label: cert.label, toBeSigned: prepared.toBeSigned, contract: prepared.contract }),
    })
    const signed = await r.json().catch(() => ({ error: "签署助手没有应答" }))
    if (!r.ok) throw new Error(signed.error || "签署助手拒绝了签署")
    say("正在完成签署…")
    const done = await post("complete", { preparedId: prepared.preparedId, signatureValue: signed.signatureValue, certificate: cert.certificate })
    location.assign(done.redirect)
  }
  box.querySelector(".ukey-find").addEventListener("click", async () => {
    list.textContent = ""
    let certs
    try {
      const r = await fetch(`${agent}/certificates`)
      if (!r.ok) throw new Error()
      certs = (await r.json()).certificates
    } catch {
      say(`未检测到签署助手。请插入 USB-Key，在本机终端运行：${command.textContent}，然后重试。`, true)
      return
    }
    if (certs.length === 0) return say("USB-Key 上没有证书，请确认已插入。", true)
    say("请选择用于签署的证书：")
    for (const cert of certs) {
      const li = document.createElement("li")
      const b = document.createElement("button")
      b.type = "button"
      b.className = "btn btn-primary ukey-use"
      b.textContent = `使用「${cert.subject}」签署（序列号 ${cert.serialHex}，有效期至 ${cert.notAfter.slice(0, 10)}）`
      b.addEventListener("click", () => sign(cert).catch((e) => say(e.message, true)))
      li.append(b)
      list.append(li)
    }
  })
})()
