/**
 * The voice call's entry point for the page (installVoice). The call's code (VoiceCall and its panel, the
 * WebRTC mesh, the spatial mixer) is not part of the first view: it is imported the first time the call is
 * used — this person presses "Join voice", someone in the room is in the call (the panel lists them), the
 * seat this device takes over is in the call (handoff), or push-to-talk is pressed in a headset. Until then
 * a placeholder with the same "Join voice" button stands in the participants panel; while the code loads
 * the button says so, and if it cannot be loaded the panel says why.
 */
import type { SignalMessage } from "../../shared/protocol.ts";
import type { SeatState } from "../../shared/state.ts";
import { el } from "../ui/dom.ts";
import type { VoiceController, VoiceDeps, VoiceTestHook } from "./voiceContract.ts";

class LazyVoice implements VoiceController {
  private readonly slot: HTMLElement;
  private readonly joinBtn: HTMLButtonElement;
  private readonly msg: HTMLElement;
  private call: VoiceController | null = null;
  private realHook: VoiceTestHook | null = null;
  private loading: Promise<VoiceController> | null = null;
  private seats: SeatState[] = [];
  private ptt = false;
  private disposed = false;

  constructor(private readonly deps: VoiceDeps) {
    // A slot that keeps the panel's place in the participants panel when the real panel replaces the placeholder.
    this.slot = el("div");
    this.slot.style.display = "contents";
    (deps.host ?? document.getElementById("participants") ?? document.body).appendChild(this.slot);
    const root = el("section");
    root.id = "voice";
    root.setAttribute("aria-label", "Voice call");
    // voice.css comes with the call's chunk: the placeholder carries the section's separator itself.
    root.style.cssText = "margin-top: 10px; padding-top: 8px; border-top: 1px solid #26313c";
    this.joinBtn = el("button", "", "Join voice");
    this.joinBtn.type = "button";
    this.joinBtn.id = "voice-join";
    this.joinBtn.title = "Talk with the people in this plant (asks for your microphone)";
    this.msg = el("p", "voice-msg");
    this.msg.id = "voice-msg";
    this.msg.setAttribute("role", "alert");
    this.msg.hidden = true;
    root.append(el("h2", "", "Voice"), this.joinBtn, this.msg);
    this.slot.appendChild(root);
    this.joinBtn.addEventListener("click", () => this.use((c) => void c.joinAsync()));
    window.__gemba_voice = this.hook();
  }

  get inCall(): boolean {
    return this.call?.inCall ?? false;
  }

  get muted(): boolean {
    return this.call?.muted ?? false;
  }

  onSignal(m: SignalMessage): void {
    // Not loaded means not in the call: an offer is stale (the offerer re-offers once we join), as in VoiceCall.
    this.call?.onSignal(m);
  }

  onSeats(seats: Iterable<SeatState>): void {
    if (this.call) return this.call.onSeats(seats);
    this.seats = [...seats];
    if (this.seats.some((s) => s.inCall)) this.use(() => undefined);
  }

  setPushToTalk(down: boolean): void {
    if (this.call) return this.call.setPushToTalk(down);
    this.ptt = down;
    if (down) this.use(() => undefined);
  }

  async joinAsync(): Promise<void> {
    await (await this.loadAsync()).joinAsync();
  }

  leave(): void {
    this.call?.leave();
  }

  toggleMute(): void {
    this.call?.toggleMute();
  }

  continueCall(): void {
    this.use((c) => c.continueCall());
  }

  /** Load the call if needed, then do `then` with it; a failed load is shown in the panel. */
  private use(then: (call: VoiceController) => void): void {
    if (this.call) return then(this.call);
    this.loadAsync().then(then, () => undefined);
  }

  private loadAsync(): Promise<VoiceController> {
    this.loading ??= (async () => {
      this.joinBtn.disabled = true;
      this.joinBtn.setAttribute("aria-busy", "true");
      this.joinBtn.textContent = "Loading voice…";
      this.msg.hidden = true;
      try {
        const { createVoiceCall } = await import("./VoiceCall.ts");
        if (this.disposed) throw new Error("the page closed the call");
        this.slot.replaceChildren();
        const { call, hook } = createVoiceCall({ ...this.deps, host: this.slot });
        this.call = call;
        this.realHook = hook;
        // What happened while the code loaded: the room's seats, a push-to-talk held down.
        if (this.seats.length) call.onSeats(this.seats);
        if (this.ptt) call.setPushToTalk(true);
        return call;
      } catch (e) {
        this.loading = null;
        this.joinBtn.disabled = false;
        this.joinBtn.removeAttribute("aria-busy");
        this.joinBtn.textContent = "Join voice";
        this.msg.textContent = `Voice could not be loaded: ${(e as Error)?.message ?? String(e)}. Check the connection and try again.`;
        this.msg.hidden = false;
        console.warn("Gemba voice: could not load the call", e);
        throw e;
      }
    })();
    return this.loading;
  }

  /** The test hook: the call's own once it is loaded, "not in the call" before. */
  private hook(): VoiceTestHook {
    const real = () => this.realHook;
    return {
      get inCall() {
        return real()?.inCall ?? false;
      },
      get muted() {
        return real()?.muted ?? false;
      },
      get speaking() {
        return real()?.speaking ?? false;
      },
      peers: () => real()?.peers() ?? [],
      refreshStats: () => real()?.refreshStats() ?? Promise.resolve([]),
      level: (seat) => real()?.level(seat) ?? 0,
      tap: (seat) => real()?.tap(seat) ?? null,
      messagesSent: () => real()?.messagesSent() ?? 0,
      handover: () => real()?.handover() ?? { callSeat: null, callEpoch: -1, handedOverAt: null, adopting: false },
    };
  }

  dispose(): void {
    this.disposed = true;
    this.call?.dispose();
    this.slot.remove();
    if (window.__gemba_voice) delete window.__gemba_voice;
  }
}

/** The voice call for the page; the page routes room signals and seat updates to it. */
export function installVoice(deps: VoiceDeps): VoiceController {
  return new LazyVoice(deps);
}
