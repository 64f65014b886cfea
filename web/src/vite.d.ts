// What Vite's imports give: a stylesheet bundled for its effect, a file's text with `?raw`.
declare module "*.css" {}
declare module "*?raw" {
  const text: string;
  export default text;
}
