// A Fluent dialog that stays mounted while closed, its content mounted afresh at each opening:
// unmounting an open Fluent dialog would leave the page aria-hidden.
import { Dialog, DialogSurface } from "@fluentui/react-components";
import type { ReactNode } from "react";

export function KeptDialog(props: {
  readonly open: boolean;
  /** Escape or a click outside. */
  readonly onCancel: () => void;
  readonly children: ReactNode;
}) {
  return (
    <Dialog open={props.open} onOpenChange={(_, data) => !data.open && props.onCancel()}>
      <DialogSurface>{props.open && props.children}</DialogSurface>
    </Dialog>
  );
}
