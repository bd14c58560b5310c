namespace Genie.Agent; public static class Program { public static void Main() { } }
