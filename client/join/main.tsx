import { render } from "preact";
import { JoinPage } from "./JoinPage";

render(<JoinPage />, document.getElementById("app")!);
