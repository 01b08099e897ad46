import {
  attribute,
  defineDesktopObjectType,
  mountCollection,
  Router,
  serve,
  SqliteDatabase,
  TypeRegistry,
} from "jsr:@hea/server@^0.1.0";

const Note = defineDesktopObjectType({
  name: "example.note.Note",
  displayName: "Note",
  attributes: { text: attribute.string() },
});
const database = new SqliteDatabase({ path: Deno.env.get("NOTES_DATABASE") ?? "notes.sqlite" });
const router = await mountCollection(new Router(), {
  collection: "notes",
  type: Note,
  registry: new TypeRegistry([Note]),
  database,
});
serve(router.fetch, {
  port: Number(Deno.env.get("PORT") ?? 8080),
  onShutdown: () => database.close(),
});
