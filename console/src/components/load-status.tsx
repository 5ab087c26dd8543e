// What a page shows above its content while it loads: the last action's success notice, a spinner,
// or the reason the page could not load (the server's own words).
import { MessageBar, MessageBarBody, Spinner } from "@fluentui/react-components";

/** A page's loading state: loading, failed with the server's detail, or loaded with what it holds. */
export type PageLoad<T> =
  | { readonly state: "loading" }
  | { readonly state: "failed"; readonly message: string }
  | ({ readonly state: "loaded" } & T);

export function LoadStatus(props: {
  readonly load: PageLoad<object>;
  /** The spinner's label, e.g. "Loading users". */
  readonly loading: string;
  /** The last action's outcome, shown as a success. */
  readonly notice?: string | undefined;
}) {
  const { load, notice } = props;
  return (
    <>
      {notice && (
        <MessageBar intent="success">
          <MessageBarBody>{notice}</MessageBarBody>
        </MessageBar>
      )}
      {load.state === "loading" && <Spinner label={props.loading} />}
      {load.state === "failed" && (
        <MessageBar intent="error">
          <MessageBarBody>{load.message}</MessageBarBody>
        </MessageBar>
      )}
    </>
  );
}
