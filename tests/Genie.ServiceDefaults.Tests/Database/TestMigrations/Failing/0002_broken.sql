CREATE TABLE half_done (id int);
INSERT INTO half_done VALUES (1);
SELECT * FROM table_that_does_not_exist;
