/**
 * The wrist panels in a session: shown on entering with the page's selection, refreshed from the page's
 * RoomView at most 5 times a second (the same view the desktop shows: live, or the shared playback time),
 * floating in front of the viewer while no left hand carries them; hidden and unpinned on leaving. The what-if
 * the wrist draws (its What if tab) is redrawn in the plant on the same beat (WhatIfGhosts.ts).
 */
import type { FollowInHeadset } from "./FollowInHeadset.ts";
import type { WhatIfGhosts } from "./WhatIfGhosts.ts";
import type { XrFeature, XrSessionStart } from "./xrFeature.ts";
import type { XrPanels } from "./XrPanels.ts";
import type { XrRig } from "./XrRig.ts";
import type { XrViewer } from "./XrViewer.ts";

const POLL_MS = 200;

export class WristPanelPoll implements XrFeature {
  private lastPoll = 0;

  constructor(
    private readonly rig: XrRig,
    private readonly panels: XrPanels,
    private readonly viewer: XrViewer,
    private readonly follow: FollowInHeadset,
    /** The asset last selected in XR, shown when the page has no selection hook. */
    private readonly selectedInXr: () => string | null,
    private readonly ghosts: WhatIfGhosts,
  ) {}

  attach(_start: XrSessionStart): void {
    const { panel, hooks } = this.rig;
    panel.setVisible(true);
    panel.show(hooks.selection?.() ?? this.selectedInXr());
  }

  detach(): void {
    const { panel } = this.rig;
    panel.setVisible(false);
    if (panel.pinned) panel.pin(false, null);
    this.ghosts.detach();
  }

  /** Once a frame; does its work at most every POLL_MS. */
  update(): void {
    const { rig, panels } = this;
    const { panel } = rig;
    const now = performance.now();
    if (now - this.lastPoll <= POLL_MS) return;
    this.lastPoll = now;
    // No left hand to carry the panel (yet): let it stand in front of the viewer.
    if (!panel.pinned && !panel.root.parent && rig.helper && rig.frames > 10) {
      panel.float(rig.helper.camera.position, this.viewer.viewerYaw());
    }
    const outside = rig.hooks.selection?.();
    if (outside !== undefined && outside !== panel.selected) panel.show(outside);
    const view = rig.hooks.view?.() ?? null;
    // The asset rows are covered by the list panel on the other tabs: refresh only what is seen.
    if (panels.tab === "asset") panel.update(view, now);
    panels.refresh(view, now);
    const drawn = panels.whatIf.shown(view);
    this.ghosts.update(view, drawn, drawn ? panels.whatIf.aheadS(drawn) : 0);
    if (view && panels.following) this.follow.step(view.room, panels.following);
  }

  dispose(): void {
    this.panels.dispose();
    this.rig.panel.dispose();
    this.ghosts.dispose();
  }
}
