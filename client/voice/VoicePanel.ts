/**
 * The voice controls, as DOM this module creates under the participants panel:
 * join/leave, mute (M), spatial/stereo, microphone picker, who is in the call
 * (speaking, muted, a volume slider each) and a link-quality table behind "Stats".
 * Text is set with textContent only. The member list is rebuilt only when who is
 * in it changes; speaking and muted flags update classes in place.
 */
import "./voice.css";
import { el } from "../ui/dom.ts";
import type { PeerStats } from "./VoiceTransport.ts";

export interface MemberView {
  seat: string;
  name: string;
  color: string;
  me: boolean;
  muted: boolean;
  speaking: boolean;
  volume: number;
  /** Link state for others once we are in the call ("connecting", "connected", "failed"…), "" otherwise. */
  link: string;
}

export interface PanelView {
  inCall: boolean;
  joining: boolean;
  canJoin: boolean;
  muted: boolean;
  spatial: boolean;
  members: MemberView[];
}

export interface PanelHandlers {
  join(): void;
  leave(): void;
  toggleMute(): void;
  setSpatial(on: boolean): void;
  pickMic(deviceId: string): void;
  setVolume(seat: string, volume: number): void;
}

function button(id: string, text: string, title: string): HTMLButtonElement {
  const b = el("button", "", text);
  b.type = "button";
  b.id = id;
  b.title = title;
  return b;
}

const fmt = (v: number | null, digits = 0) => (v === null ? "–" : v.toFixed(digits));

export class VoicePanel {
  readonly root: HTMLElement;
  private readonly joinBtn: HTMLButtonElement;
  private readonly muteBtn: HTMLButtonElement;
  private readonly spatialBtn: HTMLButtonElement;
  private readonly statsBtn: HTMLButtonElement;
  private readonly micRow: HTMLElement;
  private readonly mic: HTMLSelectElement;
  private readonly msg: HTMLElement;
  private readonly list: HTMLUListElement;
  private readonly stats: HTMLTableElement;
  private readonly statsBody: HTMLTableSectionElement;
  private readonly count: HTMLElement;
  private listSig = "";
  private view: PanelView | null = null;
  private lastRows: PeerStats[] = [];
  private nameOf: (seat: string) => string = (s) => s;

  constructor(
    host: HTMLElement,
    private readonly h: PanelHandlers,
  ) {
    this.root = el("section");
    this.root.id = "voice";
    this.root.setAttribute("aria-label", "Voice call");
    const title = el("h2", "", "Voice ");
    this.count = el("span", "voice-count");
    title.appendChild(this.count);

    this.joinBtn = button("voice-join", "Join voice", "Talk with the people in this plant (asks for your microphone)");
    this.muteBtn = button("voice-mute", "Mute", "Mute or unmute your microphone (M)");
    this.muteBtn.setAttribute("aria-pressed", "false");
    this.spatialBtn = button("voice-spatial", "Spatial", "Voices come from where people are; off: plain stereo");
    this.spatialBtn.setAttribute("aria-pressed", "true");
    this.statsBtn = button("voice-stats-toggle", "Stats", "Show link quality (round trip, jitter, loss)");
    this.statsBtn.setAttribute("aria-pressed", "false");
    const row = el("div", "voice-row");
    row.append(this.joinBtn, this.muteBtn, this.spatialBtn, this.statsBtn);

    this.micRow = el("label", "voice-mic", "Microphone ");
    this.mic = el("select");
    this.mic.id = "voice-mic";
    this.micRow.appendChild(this.mic);

    this.msg = el("p", "voice-msg");
    this.msg.id = "voice-msg";
    this.msg.setAttribute("role", "alert");
    this.msg.hidden = true;

    this.list = el("ul", "voice-list");
    this.list.id = "voice-list";

    this.stats = el("table", "voice-stats");
    this.stats.id = "voice-stats";
    const head = el("thead");
    const hr = el("tr");
    for (const c of ["Who", "Link", "RTT ms", "Jitter ms", "Loss %", "Buffer ms", "In kB", "Out kB"]) {
      const th = el("th", "", c);
      th.scope = "col";
      hr.appendChild(th);
    }
    head.appendChild(hr);
    this.statsBody = el("tbody");
    this.stats.append(head, this.statsBody);
    this.stats.hidden = true;

    this.root.append(title, row, this.micRow, this.msg, this.list, this.stats);
    host.appendChild(this.root);

    this.joinBtn.addEventListener("click", () => (this.view?.inCall ? this.h.leave() : this.h.join()));
    this.muteBtn.addEventListener("click", () => this.h.toggleMute());
    this.spatialBtn.addEventListener("click", () => this.h.setSpatial(!(this.view?.spatial ?? true)));
    this.statsBtn.addEventListener("click", () => {
      this.stats.hidden = !this.stats.hidden;
      this.statsBtn.setAttribute("aria-pressed", String(!this.stats.hidden));
      this.setStats(this.lastRows, this.nameOf);
    });
    this.mic.addEventListener("change", () => this.h.pickMic(this.mic.value));
    this.list.addEventListener("input", (e) => {
      const t = e.target as HTMLInputElement;
      const seat = t.dataset["volume"];
      if (seat) this.h.setVolume(seat, Number(t.value) / 100);
    });
  }

  get statsVisible(): boolean {
    return !this.stats.hidden;
  }

  render(v: PanelView): void {
    this.view = v;
    this.joinBtn.textContent = v.joining ? "Joining…" : v.inCall ? "Leave voice" : "Join voice";
    this.joinBtn.disabled = v.joining || (!v.inCall && !v.canJoin);
    this.joinBtn.classList.toggle("in-call", v.inCall);
    this.muteBtn.hidden = !v.inCall;
    this.muteBtn.textContent = v.muted ? "Unmute" : "Mute";
    this.muteBtn.setAttribute("aria-pressed", String(v.muted));
    this.spatialBtn.hidden = !v.inCall;
    this.spatialBtn.setAttribute("aria-pressed", String(v.spatial));
    this.statsBtn.hidden = !v.inCall;
    this.micRow.hidden = !v.inCall;
    if (!v.inCall) this.stats.hidden = true;
    this.count.textContent = v.members.length ? `(${v.members.length} in call)` : "";

    const sig = v.members.map((m) => `${m.seat}|${m.name}|${m.color}|${m.me}`).join(";") + `#${v.inCall}`;
    if (sig !== this.listSig) {
      this.listSig = sig;
      this.list.replaceChildren(...v.members.map((m) => this.memberItem(m, v.inCall)));
    }
    for (const m of v.members) {
      const li = this.list.querySelector<HTMLElement>(`li[data-seat="${CSS.escape(m.seat)}"]`);
      if (!li) continue;
      li.classList.toggle("speaking", m.speaking);
      li.classList.toggle("muted", m.muted);
      li.dataset["link"] = m.link;
      const tag = li.querySelector<HTMLElement>(".voice-state");
      if (tag) tag.textContent = m.muted ? "muted" : m.link && m.link !== "connected" ? m.link : "";
    }
  }

  private memberItem(m: MemberView, inCall: boolean): HTMLLIElement {
    const li = el("li");
    li.dataset["seat"] = m.seat;
    const dot = el("span", "voice-dot");
    dot.style.background = m.color;
    li.append(dot, el("span", "voice-name", m.name + (m.me ? " (you)" : "")), el("span", "voice-state"));
    if (!m.me && inCall) {
      const slider = el("input", "voice-volume");
      slider.type = "range";
      slider.min = "0";
      slider.max = "200";
      slider.step = "5";
      slider.value = String(Math.round(m.volume * 100));
      slider.dataset["volume"] = m.seat;
      slider.setAttribute("aria-label", `Volume of ${m.name}`);
      slider.title = `Volume of ${m.name}`;
      li.appendChild(slider);
    }
    return li;
  }

  message(text: string | null): void {
    this.msg.textContent = text ?? "";
    this.msg.hidden = !text;
  }

  setMics(devices: { deviceId: string; label: string }[], current: string): void {
    this.mic.replaceChildren(
      ...devices.map((d, i) => {
        const o = el("option", "", d.label || `Microphone ${i + 1}`);
        o.value = d.deviceId;
        return o;
      }),
    );
    if (devices.some((d) => d.deviceId === current)) this.mic.value = current;
  }

  setStats(rows: PeerStats[], nameOf: (seat: string) => string): void {
    this.lastRows = rows;
    this.nameOf = nameOf;
    if (this.stats.hidden) return;
    this.statsBody.replaceChildren(
      ...rows.map((r) => {
        const tr = el("tr");
        tr.dataset["seat"] = r.seat;
        for (const c of [
          nameOf(r.seat),
          r.state,
          fmt(r.rtt),
          fmt(r.jitter, 1),
          r.loss === null ? "–" : (r.loss * 100).toFixed(1),
          fmt(r.jitterBufferMs),
          (r.inboundBytes / 1024).toFixed(0),
          (r.outboundBytes / 1024).toFixed(0),
        ])
          tr.appendChild(el("td", "", c));
        return tr;
      }),
    );
  }

  dispose(): void {
    this.root.remove();
  }
}
